import pytest
from django.test import override_settings


@pytest.fixture(scope="session", autouse=True)
def demo_media(tmp_path_factory):
    """The demo saves its projects' documents through the storage: into a temporary folder, not var/media."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield
