import pytest

from apps.enterprises.matching.normalize import forget_regions


@pytest.fixture(autouse=True)
def _fresh_regions(db):
    """Each test's units are its regions: forget those a previous test loaded."""
    forget_regions()
    yield
    forget_regions()
