"""OpenAPI examples of the curriculum API's answers, trimmed from the real content. A list
operation shows one item; drf-spectacular wraps it in the page envelope."""

from drf_spectacular.utils import OpenApiExample

SITE = "https://portal.example.com"
TRACK_REF = {
    "slug": "ai-ml-engineer-skills",
    "title": "High-Demand Skills for AI/ML Engineer Roles",
}
PHASE_REF = {"slug": "skills-generative-ai-and-llms", "title": "Generative AI & LLMs"}
PYTHON_BASICS = {
    "slug": "skills-python-basics-for-ml",
    "title": "Python Basics for ML",
    "summary": "Syntax, data types, control flow, functions and files, practised on small "
    "automation tasks.",
    "level": "beginner",
    "hours": 12.0,
}
LLM_COURSE = {
    "id": 118,
    "title": "Hugging Face NLP Course (now the LLM Course)",
    "url": "https://huggingface.co/learn/llm-course",
    "kind": "course",
    "provider": "Hugging Face",
    "cost": "free",
    "note": "Renamed from the NLP Course in April 2025.",
    "link_status": "ok",
    "link_checked_at": "2026-11-23T03:12:40Z",
}
PROGRAMMING_PHASE = {
    "slug": "skills-programming-and-frameworks",
    "title": "Programming & Frameworks",
    "summary": "Python for data and APIs, deep learning with TensorFlow and PyTorch, and SQL for "
    "getting at the data.",
    "weeks_min": 8.0,
    "weeks_max": 9.0,
    "hours": 86.0,
    "topic_count": 8,
    "topics": [PYTHON_BASICS],
}
CORE_PHASE = {
    "slug": "skills-core-technical-competencies",
    "title": "Core Technical Competencies",
    "summary": "The programming, data and modelling foundations every AI/ML engineering role "
    "expects.",
    "weeks_min": 15.0,
    "weeks_max": 18.0,
    "hours": 168.0,
    "topic_count": 17,
    "topics": [],
}

_TRACK = {
    **TRACK_REF,
    "summary": "The fifteen skills employers look for in AI and ML engineers, each taken from "
    "first steps to advanced practice with books, courses, projects and credentials.",
    "hours_per_week": 10,
    "topic_count": 36,
    "hours": 340.0,
    "weeks_min": 30.0,
    "weeks_max": 37.0,
    "url": f"{SITE}/tracks/ai-ml-engineer-skills/",
}
_PHASE = {
    "slug": CORE_PHASE["slug"],
    "title": CORE_PHASE["title"],
    "summary": CORE_PHASE["summary"],
    "track": TRACK_REF,
    "parent": None,
    "weeks_min": 15.0,
    "weeks_max": 18.0,
    "url": f"{SITE}/tracks/ai-ml-engineer-skills/skills-core-technical-competencies/",
}
_TOPIC = {
    "slug": "skills-how-llms-work",
    "title": "How LLMs Work: Transformers and Pre-training",
    "summary": "Tokens, attention and the transformer, and how language models are pre-trained "
    "and instruction-tuned.",
    "level": "beginner",
    "hours": 8.0,
    "track": TRACK_REF,
    "phase": PHASE_REF,
    "url": f"{SITE}/topics/skills-how-llms-work/",
}
_SKILL = {
    "slug": "python",
    "name": "Python",
    "category": "Programming & Frameworks",
    "summary": "The working language of data science and ML, from quick data scripts to "
    "model-serving APIs.",
    "url": f"{SITE}/skills/python/",
}
_CERTIFICATION = {
    "slug": "azure-ai-engineer-associate",
    "name": "Microsoft Certified: Azure AI Engineer Associate",
    "vendor": "Microsoft",
    "level": "associate",
    "status": "retired",
    "retired_on": "2026-06-30",
    "successor": {
        "slug": "azure-ai-apps-and-agents-developer",
        "name": "Microsoft Certified: Azure AI Apps and Agents Developer Associate",
    },
    "summary": "Former Azure AI engineer certification (exam AI-102); retired on 2026-06-30 "
    "and replaced by AI-103.",
    "url": f"{SITE}/certifications/azure-ai-engineer-associate/",
}


def _example(name: str, value: dict) -> OpenApiExample:
    return OpenApiExample(name, value=value, response_only=True)


TRACK = _example("A track", _TRACK)
TRACK_DETAIL = _example(
    "A track with its roadmap",
    {
        **_TRACK,
        "body_html": "<h2>What this path is for</h2>\n<p>This path turns a guide to the most "
        "requested AI/ML engineering skills into a study plan.</p>",
        "phases": [{**CORE_PHASE, "sub_phases": [PROGRAMMING_PHASE]}],
    },
)
PHASE = _example("A top-level phase", _PHASE)
PHASE_DETAIL = _example(
    "A phase with its sub-phases and topics",
    {
        **_PHASE,
        "body_html": "<p>This phase covers the skills interviewers test first.</p>",
        "hours": 168.0,
        "topic_count": 17,
        "topics": [],
        "sub_phases": [PROGRAMMING_PHASE],
    },
)
TOPIC = _example("A topic", _TOPIC)
TOPIC_DETAIL = _example(
    "A topic with its resources",
    {
        **_TOPIC,
        "body_html": "<p>Before fine-tuning a large language model, understand what is inside "
        "it.</p>",
        "resources": [LLM_COURSE],
        "technologies": [
            {"slug": "hugging-face-transformers", "name": "Hugging Face Transformers"},
            {"slug": "pytorch", "name": "PyTorch"},
        ],
        "certifications": [{"slug": "hugging-face-nlp-course", "name": "Hugging Face LLM Course"}],
        "skills": [{"slug": "fine-tuning-llms", "name": "Fine-Tuning Large Language Models"}],
        "previous": {
            "slug": "skills-multi-task-learning",
            "title": "Beyond Fine-Tuning: Multi-Task Learning and Domain Shift",
        },
        "next": {
            "slug": "skills-fine-tuning-with-hugging-face",
            "title": "Fine-Tuning Models with Hugging Face Transformers",
        },
    },
)
RESOURCE = _example(
    "A topic's resource",
    {**LLM_COURSE, "topic": {"slug": _TOPIC["slug"], "title": _TOPIC["title"]}, "skill": None},
)
SKILL = _example("A skill", _SKILL)
SKILL_DETAIL = _example(
    "A skill with its levels and resources",
    {
        **_SKILL,
        "definition_html": "<p>Python is a general-purpose, high-level language that is easy to "
        "read and quick to write.</p>",
        "real_world_html": "<p>An ML team typically writes the whole lifecycle in Python.</p>",
        "demonstrate_html": "<p>Keep a public GitHub repository of Python projects.</p>",
        "levels": [
            {"level": "beginner", "steps_html": "<ul>\n<li>Install Python 3.</li>\n</ul>"},
            {"level": "intermediate", "steps_html": "<ul>\n<li>Use NumPy arrays.</li>\n</ul>"},
            {
                "level": "advanced",
                "steps_html": "<ul>\n<li>Serve a model with FastAPI.</li>\n</ul>",
            },
        ],
        "resources": [
            {
                "id": 1,
                "title": "Automate the Boring Stuff with Python",
                "url": "https://automatetheboringstuff.com/",
                "kind": "book",
                "provider": "Al Sweigart (No Starch Press)",
                "cost": "free",
                "note": "The full text is free to read online.",
                "link_status": "unchecked",
                "link_checked_at": None,
            }
        ],
        "technologies": [{"slug": "fastapi", "name": "FastAPI"}],
        "certifications": [
            {
                "slug": "google-it-automation-with-python",
                "name": "Google IT Automation with Python Professional Certificate",
            }
        ],
        "tracks": [{"track": TRACK_REF, "topics": [PYTHON_BASICS]}],
    },
)
CERTIFICATION = _example("A retired certification and its successor", _CERTIFICATION)
CERTIFICATION_DETAIL = _example(
    "A certification with what prepares for it",
    {
        **_CERTIFICATION,
        "body_html": "<p><strong>Status:</strong> retired on <strong>2026-06-30</strong>.</p>",
        "predecessors": [],
        "tracks": [
            {
                "track": {
                    "slug": "azure-ai-ml-infrastructure",
                    "title": "Azure AI/ML Infrastructure",
                },
                "topics": [
                    {
                        "slug": "azure-ai-services-overview",
                        "title": "Azure AI Services",
                        "summary": "Vision, language and speech as managed APIs.",
                        "level": "intermediate",
                        "hours": 6.0,
                    }
                ],
            }
        ],
        "skills": [{"slug": "python", "name": "Python"}],
    },
)
