import factory

from accounts.models import Role, User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"User {n}")
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    role = Role.LEARNER
    is_superuser = factory.LazyAttribute(lambda user: user.role == Role.ADMIN)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class AdminFactory(UserFactory):
    role = Role.ADMIN


class InstructorFactory(UserFactory):
    role = Role.INSTRUCTOR

    @factory.post_generation
    def _groups(obj, create, extracted, **kwargs):
        # Instructors belong to the Instructors group, as accounts.services makes them.
        if create:
            from accounts.services import user_sync_role_groups

            user_sync_role_groups(obj)


class LearnerFactory(UserFactory):
    role = Role.LEARNER
