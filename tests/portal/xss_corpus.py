"""XSS vectors a Markdown field (from an admin or a content file) might carry.

Written from the OWASP XSS Filter Evasion Cheat Sheet and the ways Markdown itself makes links and
images: raw HTML tags and event handlers, `javascript:`/`vbscript:`/`data:` URLs in every
spelling (entities, whitespace, case, control characters), styles, frames, namespace confusion
(SVG, MathML), malformed and nested tags. The script they carry calls alert(), so a browser
test can listen for dialogs. `problems(html)` parses HTML and lists what could run.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from portal.markdown import ALLOWED_TAGS

VECTORS: list[str] = [
    # Script elements, plain and disguised.
    "<script>alert('xss-1')</script>",
    "<SCRIPT SRC=https://xss.invalid/xss.js></SCRIPT>",
    "<ScRiPt>alert('xss-3')</sCrIpT>",
    "<<script>alert('xss-4');//<</script>",
    "<scr<script>ipt>alert('xss-5')</scr</script>ipt>",
    '<IMG """><SCRIPT>alert("xss-6")</SCRIPT>">',
    "<script/xss src=https://xss.invalid/xss.js></script>",
    "<script>alert`xss-8`</script>",
    "</title></textarea></style><script>alert('xss-9')</script>",
    # Event handlers on harmless-looking tags.
    "<img src=x onerror=alert('xss-10')>",
    "<img src=x onerror=\"alert('xss-11')\" />",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    "<svg onload=alert('xss-13')>",
    "<svg/onload=alert('xss-14')>",
    "<body onload=alert('xss-15')>",
    "<details open ontoggle=alert('xss-16')><summary>x</summary></details>",
    "<video><source onerror=\"alert('xss-17')\"></video>",
    "<audio src=x onerror=alert('xss-18')>",
    "<input autofocus onfocus=alert('xss-19')>",
    "<select autofocus onfocus=alert('xss-20')></select>",
    "<textarea autofocus onfocus=alert('xss-21')>x</textarea>",
    "<marquee onstart=alert('xss-22')>x</marquee>",
    '<div onmouseover="alert(\'xss-23\')" style="position:fixed;inset:0">hover</div>',
    "<a onmouseover=alert('xss-24')>hover</a>",
    "<b onclick=alert('xss-25')>click</b>",
    "<p/onpointerenter=alert('xss-26')>enter</p>",
    "<img src=`x` onerror=`alert('xss-27')`>",
    "<img src=x:alert(alt) onerror=eval(src) alt='xss-28'>",
    # javascript:, vbscript: and data: URLs in HTML.
    "<a href=\"javascript:alert('xss-29')\">click</a>",
    "<a href=\"JaVaScRiPt:alert('xss-30')\">click</a>",
    "<a href=\"jav&#x09;ascript:alert('xss-31');\">click</a>",
    "<a href=\"jav&#x0A;ascript:alert('xss-32');\">click</a>",
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(33)">x</a>',
    "<a href=\"&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert('xss-34')\">x</a>",
    "<a href=\"  javascript:alert('xss-35')\">click</a>",
    "<a href=\"\x01javascript:alert('xss-36')\">click</a>",
    "<a href=\"java&#x0D;script:alert('xss-37')\">click</a>",
    "<a href=\"vbscript:msgbox('xss-38')\">click</a>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzLTM5Jyk8L3NjcmlwdD4=">click</a>',
    "<a href=\"data:text/html,<script>alert('xss-40')</script>\">click</a>",
    "<IMG SRC=\"javascript:alert('xss-41');\">",
    "<IMG SRC=javascript:alert(&quot;xss-42&quot;)>",
    "<form action=\"javascript:alert('xss-43')\"><button>go</button></form>",
    "<form><button formaction=javascript:alert('xss-44')>go</button></form>",
    "<isindex type=image src=1 onerror=alert('xss-45')>",
    # Frames, objects, embeds, meta refresh, base.
    "<iframe src=\"javascript:alert('xss-46')\"></iframe>",
    "<iframe srcdoc=\"<script>alert('xss-47')</script>\"></iframe>",
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzLTQ4Jyk8L3NjcmlwdD4="></object>',
    '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoJ3hzcy00OScpPg==">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'xss-50\');">',
    "<base href=\"javascript:alert('xss-51');//\">",
    "<link rel=stylesheet href=\"javascript:alert('xss-52');\">",
    "<frameset onload=alert('xss-53')></frameset>",
    # Styles.
    "<style>@import 'javascript:alert(\"xss-54\")';</style>",
    "<style>body{background:url(\"javascript:alert('xss-55')\")}</style>",
    "<div style=\"width: expression(alert('xss-56'));\">x</div>",
    "<p style=\"background-image:url(javascript:alert('xss-57'))\">x</p>",
    "<span style=\"xss:expr/*xss*/ession(alert('xss-58'))\">x</span>",
    # Namespace confusion and parser differentials.
    "<svg><script>alert('xss-59')</script></svg>",
    "<svg><a xlink:href=\"javascript:alert('xss-60')\"><text x=20 y=20>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss-61')>",
    "<math href=\"javascript:alert('xss-62')\">click</math>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('xss-63')>\"></noscript>",
    "<!--<img src=\"--><img src=x onerror=alert('xss-64')//\">",
    '<a href="https://ok.invalid" title=""><script>alert(\'xss-65\')</script>">x</a>',
    "<template><img src=x onerror=alert('xss-66')></template>",
    # Markdown links, images, references and autolinks.
    "[click](javascript:alert(67))",
    "[click](JAVASCRIPT:alert(68))",
    "[click](  javascript:alert(69)  )",
    "[click](jav&#x09;ascript:alert(70))",
    "[click](&#106;avascript:alert(71))",
    "[click](vbscript:msgbox(72))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzLTczJyk8L3NjcmlwdD4=)",
    "![image](javascript:alert(74))",
    "![image](x\" onerror=\"alert('xss-75'))",
    "[click][evil]\n\n[evil]: javascript:alert(76)",
    "![image][evil-image]\n\n[evil-image]: data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
    "<javascript:alert(78)>",
    '<a href="javascript&colon;alert(79)">click</a>',
    "[a](https://ok.invalid)<img src=x onerror=alert(80)>",
]

# The whole corpus as one Markdown document, each vector in its own paragraph.
DOCUMENT = "\n\n".join(VECTORS)


FORBIDDEN_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "style", "link", "meta", "base",
    "form", "button", "input", "select", "textarea", "svg", "math", "img", "video", "audio",
    "source", "details", "template", "noscript", "body", "marquee", "isindex",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "poster"}
SAFE_SCHEMES = {"", "http", "https", "mailto"}
INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f]+")


class Elements(HTMLParser):
    """Collects (tag, attributes) of every start tag; attribute values come out unescaped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, [(name.lower(), value or "") for name, value in attrs]))

    handle_startendtag = handle_starttag


def problems(html: str) -> list[str]:
    """Everything in `html` that could run script, load a frame or restyle the page."""
    found = []
    if re.search(r"<\s*/?\s*script", html, re.IGNORECASE):
        found.append("<script in the markup")
    parser = Elements()
    parser.feed(html)
    parser.close()
    for tag, attributes in parser.elements:
        if tag in FORBIDDEN_TAGS or tag not in ALLOWED_TAGS:
            found.append(f"element <{tag}>")
        for name, value in attributes:
            if name.startswith("on"):
                found.append(f"event handler {name} on <{tag}>")
            if name == "style":
                found.append(f"style attribute on <{tag}>")
            if name in URL_ATTRIBUTES and not _safe_url(value):
                found.append(f"{name}={value!r} on <{tag}>")
    return found


def _safe_url(value: str) -> bool:
    # Browsers ignore whitespace and control characters inside a scheme: "jav\tascript:".
    compact = INVISIBLE.sub("", value).lower()
    if compact.startswith(("javascript:", "vbscript:", "data:")):
        return False
    return urlsplit(compact).scheme in SAFE_SCHEMES
