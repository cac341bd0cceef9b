import factory
from django.contrib.auth import get_user_model


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    timezone = "UTC"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(user, create, extracted, **kwargs):
        if create:
            user.save()


# --- curriculum --------------------------------------------------------------------------------


class TechnologyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "curriculum.Technology"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"technology-{n}")
    name = factory.LazyAttribute(lambda obj: obj.slug.replace("-", " ").title())
    category = "service"
    summary = "A technology."


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "curriculum.Certification"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"certification-{n}")
    name = factory.LazyAttribute(lambda obj: obj.slug.replace("-", " ").title())
    vendor = "AWS"
    level = "associate"
    summary = "A certification."


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "curriculum.Track"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"track-{n}")
    title = factory.LazyAttribute(lambda obj: obj.slug.replace("-", " ").title())
    summary = "A learning path."
    body = "What this path is for."
    position = factory.Sequence(int)


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "curriculum.Phase"
        django_get_or_create = ("slug",)

    track = factory.SubFactory(TrackFactory)
    slug = factory.Sequence(lambda n: f"phase-{n}")
    title = factory.LazyAttribute(lambda obj: obj.slug.replace("-", " ").title())
    summary = "A phase."
    weeks_min = 2
    weeks_max = 3
    position = factory.Sequence(int)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "curriculum.Topic"
        django_get_or_create = ("slug",)

    phase = factory.SubFactory(PhaseFactory)
    slug = factory.Sequence(lambda n: f"topic-{n}")
    title = factory.LazyAttribute(lambda obj: obj.slug.replace("-", " ").title())
    summary = "A topic."
    body = "Learn **this**."
    hours = 4
    level = "beginner"
    position = factory.Sequence(int)


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "curriculum.Skill"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"skill-{n}")
    name = factory.LazyAttribute(lambda obj: obj.slug.replace("-", " ").title())
    category = "Engineering"
    summary = "A skill."
    definition = "What it is."
    real_world = "Where it is used."
    demonstrate = "How to show it."
    position = factory.Sequence(int)


class SkillLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "curriculum.SkillLevel"

    skill = factory.SubFactory(SkillFactory)
    level = "beginner"
    steps = "- First step"


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "curriculum.Resource"

    topic = factory.SubFactory(TopicFactory)
    skill = None
    title = factory.Sequence(lambda n: f"Resource {n}")
    url = factory.Sequence(lambda n: f"https://docs.example.com/page-{n}")
    kind = "doc"
    position = factory.Sequence(int)
