import pytest
from django.test import override_settings


@pytest.fixture(scope="session", autouse=True)
def demo_media(tmp_path_factory):
    """The demo saves its projects' documents through the storage: into a temporary folder, not var/media."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(autouse=True)
def media_root(demo_media):
    """The demo's files stay in the session's folder, which the module-wide demo city was built into."""
    from django.conf import settings

    return settings.MEDIA_ROOT
