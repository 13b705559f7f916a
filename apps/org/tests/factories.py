import factory

from apps.org.models import Role, Unit, User

DEFAULT_PASSWORD = "Test-Passw0rd!"


def make_unit(*, parent: Unit | None, name: str, kind: str, code: str) -> Unit:
    """A unit placed in the tree (treebeard needs add_root/add_child rather than a plain save)."""
    unit = Unit(name=name, kind=kind, code=code)
    if parent is None:
        return Unit.objects.add_root(instance=unit)
    return Unit.objects.add_child(parent, instance=unit)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"测试人员{n}")
    must_change_password = False
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.roles.set(Role.objects.filter(code__in=extracted))
        self.save()
