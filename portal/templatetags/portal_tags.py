from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()

# (label, url name, needs login). Entries whose URL is not installed yet are left out, so the
# menu only ever offers pages that exist.
NAVIGATION = (
    ("Curriculum", "curriculum:index"),
    ("Quizzes", "quizzes:index"),
    ("Dashboard", "progress:dashboard"),
)


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@register.simple_tag(takes_context=True)
def nav_items(context: template.Context) -> list[dict]:
    request = context.get("request")
    path = request.path if request else ""
    user = context.get("user")
    items = [{"label": label, "url": url} for label, name in NAVIGATION if (url := _url(name))]
    if user is not None and user.is_authenticated:
        account = _url("account_profile") or _url("account_email")
        if account:
            items.append({"label": "Account", "url": account})
        if user.is_staff and (admin := _url("admin:index")):
            items.append({"label": "Admin", "url": admin})
    elif login := _url("account_login") or _url("admin:login"):
        items.append({"label": "Log in", "url": login})
    for item in items:
        item["current"] = path.startswith(item["url"]) and item["url"] != "/"
    return items
