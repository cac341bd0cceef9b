"""The curriculum API (/api/v1/tracks/, phases/, topics/, resources/, skills/, certifications/):
read-only and public. Serializers shape, views route; the reads are in curriculum/queries.py."""

from .views import (
    CertificationViewSet,
    PhaseViewSet,
    ResourceViewSet,
    SkillViewSet,
    TopicViewSet,
    TrackViewSet,
)

__all__ = [
    "CertificationViewSet",
    "PhaseViewSet",
    "ResourceViewSet",
    "SkillViewSet",
    "TopicViewSet",
    "TrackViewSet",
]
