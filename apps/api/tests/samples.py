from apps.api.models import IntegrationToken
from apps.api.services import create_token
from apps.core.tests.samples import sample
from apps.org.tests.factories import UserFactory


@sample(IntegrationToken)
def make_token_sample(unit, marker: str) -> IntegrationToken:
    """A token of the unit: only its own subtree's administrators may see or revoke it."""
    admin = UserFactory(unit=unit)
    return create_token(name=marker, unit=unit, operations=["projects:read"], expires_at=None, by=admin).token
