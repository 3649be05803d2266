"""Demo users for `manage.py seed_demo`. Their passwords are printed by the command."""

from accounts.models import Role, User
from accounts.services import user_create, user_update

DEMO_USERS = [
    ("admin", "Ada Admin", "admin@example.com", "copper-lantern-41", Role.ADMIN),
    ("instructor", "Ivan Instructor", "instructor@example.com", "maple-harbor-27", Role.INSTRUCTOR),
    ("learner", "Lena Learner", "learner@example.com", "violet-canyon-63", Role.LEARNER),
    ("learner2", "Leo Learner", "learner2@example.com", "amber-meadow-85", Role.LEARNER),
]


def seed_users() -> dict[str, User]:
    """Creates the demo users, or resets them to their demo name, role and password."""
    users = {}
    for key, name, email, password, role in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = user_create(email=email, name=name, password=password, role=role)
        else:
            user = user_update(user=user, name=name, password=password, role=role, is_active=True)
        users[key] = user
    return users
