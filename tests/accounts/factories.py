import factory

from accounts.models import Role, User

PASSWORD = "correct-horse-battery"  # noqa: S105 - test data


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"User {n}")
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    role = Role.LEARNER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save(update_fields=["password"])


class AdminFactory(UserFactory):
    role = Role.ADMIN


class InstructorFactory(UserFactory):
    role = Role.INSTRUCTOR

    @factory.post_generation
    def _groups(obj, create, extracted, **kwargs):  # noqa: N805
        # Instructors belong to the Instructors group, as accounts.services makes them.
        if create:
            from accounts.services import _sync_role_groups

            _sync_role_groups(obj)


class LearnerFactory(UserFactory):
    role = Role.LEARNER
