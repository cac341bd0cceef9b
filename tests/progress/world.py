"""A small curriculum for the progress tests: one published track with a phase that has two
sub-phases and its own topic, a second phase, and what a learner may not mark (a draft topic, an
archived one, a topic of a draft track)."""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from curriculum.models import Phase, Resource, Topic, Track
from tests.factories import PhaseFactory, ResourceFactory, SkillFactory, TopicFactory, TrackFactory

ARCHIVED = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class World:
    track: Track
    phase_a: Phase
    sub_a1: Phase
    sub_a2: Phase
    phase_b: Phase
    a1_first: Topic  # 2 h
    a1_second: Topic  # 3 h
    a2_only: Topic  # 4 h
    a_own: Topic  # 5 h
    b_only: Topic  # 6 h
    draft: Topic
    archived: Topic
    other_track: Track
    other_topic: Topic  # 10 h, in other_track
    draft_track_topic: Topic
    resource: Resource  # on a1_first
    skill_resource: Resource
    archived_resource: Resource

    @property
    def in_order(self) -> list[Topic]:
        return [self.a1_first, self.a1_second, self.a2_only, self.a_own, self.b_only]

    @property
    def hours(self) -> Decimal:
        return sum((topic.hours for topic in self.in_order), Decimal(0))


def make_world(prefix: str = "w") -> World:
    track = TrackFactory(slug=f"{prefix}-track", title="ML Path", position=1)
    phase_a = PhaseFactory(slug=f"{prefix}-a", track=track, position=1)
    sub_a1 = PhaseFactory(slug=f"{prefix}-a1", track=track, parent=phase_a, position=1)
    sub_a2 = PhaseFactory(slug=f"{prefix}-a2", track=track, parent=phase_a, position=2)
    phase_b = PhaseFactory(slug=f"{prefix}-b", track=track, position=2)

    def topic(slug: str, phase: Phase, hours: int, position: int, **extra: object) -> Topic:
        return TopicFactory(
            slug=f"{prefix}-{slug}", phase=phase, hours=hours, position=position, **extra
        )

    # Created out of track order, so nothing passes by insertion order alone.
    b_only = topic("b-only", phase_b, 6, 1)
    a_own = topic("a-own", phase_a, 5, 1)
    a2_only = topic("a2-only", sub_a2, 4, 1)
    a1_second = topic("a1-second", sub_a1, 3, 2)
    a1_first = topic("a1-first", sub_a1, 2, 1)
    draft = topic("draft", phase_b, 1, 2, status="draft")
    archived = topic("archived", phase_b, 1, 3, archived_at=ARCHIVED)
    other_track = TrackFactory(slug=f"{prefix}-other-track", position=2)
    other_topic = TopicFactory(
        slug=f"{prefix}-other-topic",
        phase=PhaseFactory(slug=f"{prefix}-other-phase", track=other_track),
        hours=10,
    )
    draft_track = TrackFactory(slug=f"{prefix}-draft-track", status="draft", position=3)
    draft_track_topic = TopicFactory(
        slug=f"{prefix}-in-draft-track",
        phase=PhaseFactory(slug=f"{prefix}-draft-phase", track=draft_track),
    )
    return World(
        track=track,
        phase_a=phase_a,
        sub_a1=sub_a1,
        sub_a2=sub_a2,
        phase_b=phase_b,
        a1_first=a1_first,
        a1_second=a1_second,
        a2_only=a2_only,
        a_own=a_own,
        b_only=b_only,
        draft=draft,
        archived=archived,
        other_track=other_track,
        other_topic=other_topic,
        draft_track_topic=draft_track_topic,
        resource=ResourceFactory(topic=a1_first),
        skill_resource=ResourceFactory(topic=None, skill=SkillFactory(slug=f"{prefix}-skill")),
        archived_resource=ResourceFactory(topic=a1_first, archived_at=ARCHIVED),
    )
