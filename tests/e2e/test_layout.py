"""Layout on the demo data: no sideways scrolling at phone width, a one-line navbar on a laptop,
and tap targets a finger can hit — in Chinese first, then English."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "layout-demo-password"
LANGUAGES = [("zh-hans", "中文", "zh-Hans"), ("en", "English", "en")]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
LAPTOP_WIDTHS = [1280, 1440]  # the bar opens out at 1200 px; the container widens again at 1400 px
MIN_TAP = 44

# Demo accounts and where their walk starts; the walk follows the links of each page from there.
ACCOUNTS = {
    "student taking the courses": ("202300001@qq.com", ["/"]),
    "student who can apply": ("202300023@126.com", ["/"]),
    "student in a store": ("202300027@163.com", ["/"]),
    "staff": ("staff@sztu-demo.cn", ["/"]),
    "mentor": ("mentor01@xiaomi-demo.cn", ["/"]),
    "Xiaomi HR": ("hr@xiaomi-demo.cn", ["/"]),
}
ANONYMOUS_PAGES = ["/accounts/login/", "/accounts/password-reset/", "/privacy/"]
# Pages that are not HTML (downloads, feeds) or not ours (the Django admin).
NOT_PAGES = {
    "internships:review_export",
    "internships:student_import_template",
    "internships:application_cv",
    "internships:calendar_feed",
    "courses:lesson_attachment",
    # recommendations: staff side
    "recommendations:outcomes_export",
    # recommendations: HR board
    "recommendations:board_export",
    "recommendations:cv",
}
WALK_DEPTH = 3
# Object pages the walk must reach from the roles' home pages (the list pages are reached anyway).
MUST_VISIT = {
    "courses:course",
    "courses:lesson",
    "courses:quiz",
    "courses:progress_overview",
    "internships:application",
    "internships:apply",
    "internships:review_queue",
    "internships:review_detail",
    "internships:cohort_list",
    "internships:cohort_edit",
    "internships:placement_board",
    "internships:seats_grid",
    "internships:mentor_attendance",
    "internships:store_edit",
    "internships:mentor_edit",
    "notifications:outbox",
    "notifications:list",
    "notifications:preferences",
}

# The elements sticking out on the right, deepest first: outside any element that scrolls itself, or
# inside one but positioned against something outside it (they escape the scroller and widen the page).
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const out = (el) => el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().right > width + 0.5;
  const scrolls = (el) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
  const escapes = (el) => ['absolute', 'fixed'].includes(getComputedStyle(el).position);
  const sticking = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!out(el) || [...el.children].some(out)) continue;
    let clipped = false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (scrolls(up)) { clipped = !escapes(el); break; }
    }
    if (clipped) continue;
    const name = el.tagName.toLowerCase() + (typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    sticking.push(`${name} right=${Math.round(el.getBoundingClientRect().right)} "${(el.textContent || '').trim().slice(0, 40)}"`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth,
          sticking: sticking.slice(0, 5)};
}"""

LINKS_JS = """() => [...document.querySelectorAll('a[href]')]
  .filter((a) => !a.hasAttribute('download') && a.origin === location.origin)
  .map((a) => a.pathname + a.search)"""


def _view_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    if "admin" in match.namespaces:
        return None
    return match.view_name


def _choose_language(page, button_name: str, lang: str) -> None:
    """The language buttons sit in the collapsed menu at phone width."""
    menu = page.get_by_role("button", name=re.compile(r"^(Menu|菜单)$"))
    if menu.is_visible():
        menu.click()
    page.get_by_role("button", name=button_name, exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def _sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit].w-100").click()
    expect(page).not_to_have_url(f"{base_url}/accounts/login/")


def _walk(page, base_url: str, starts: list[str], follow: bool):
    """Open every page reachable from `starts`, one of each view (the first course, application,
    cohort... met on the way), measure it, and yield (path, status, measurement)."""
    queue = [(path, 0) for path in starts]
    seen: set[str] = set()
    while queue:
        path, depth = queue.pop(0)
        if _view_name(path) in seen:
            continue
        response = page.goto(f"{base_url}{path}")
        landed = urlsplit(page.url).path
        name = _view_name(landed)  # after any redirect
        if name is None or name in NOT_PAGES or (name in seen and landed != path):
            continue
        seen.add(name)
        yield name, landed, response.status, page.evaluate(OVERFLOW_JS)
        if follow and depth < WALK_DEPTH:
            for link in page.evaluate(LINKS_JS):
                link_name = _view_name(link)
                if link_name and link_name not in seen and link_name not in NOT_PAGES:
                    queue.append((link, depth + 1))


def test_no_page_scrolls_sideways_at_phone_width(browser, live_server):
    call_command("demo_data", password=PASSWORD, stdout=open("/dev/null", "w"))  # noqa: SIM115
    problems, visited, views = [], 0, set()
    people = [("anonymous", None, ANONYMOUS_PAGES), *((who, *rest) for who, rest in ACCOUNTS.items())]
    for who, email, starts in people:
        context = browser.new_context(viewport=PHONE, locale="zh-CN")
        page = context.new_page()
        if email:
            _sign_in(page, live_server.url, email)
        else:
            page.goto(f"{live_server.url}{starts[0]}")
        for code, button, lang in LANGUAGES:
            _choose_language(page, button, lang)
            for view, path, status, seen in _walk(page, live_server.url, starts, follow=email is not None):
                visited += 1
                views.add(view)
                if status != 200:
                    problems.append(f"{who} [{code}] {path}: HTTP {status}")
                elif seen["scrollWidth"] > seen["viewport"]:
                    problems.append(
                        f"{who} [{code}] {path}: {seen['scrollWidth']} px wide on a {seen['viewport']} px "
                        f"screen; sticking out: {'; '.join(seen['sticking']) or '?'}"
                    )
        context.close()
    assert visited > 60, f"the walk opened only {visited} pages"
    assert not MUST_VISIT - views, f"the walk never reached {sorted(MUST_VISIT - views)}"
    assert not problems, "\n".join(problems)


NAVBAR_JS = """() => {
  const nav = document.querySelector('nav.navbar');
  const parts = [...nav.querySelectorAll('.navbar-brand, .nav-link, .btn, .navbar-text')]
    .filter((el) => el.offsetParent !== null).map((el) => el.getBoundingClientRect());
  return {navHeight: nav.getBoundingClientRect().height,
          brandHeight: nav.querySelector('.navbar-brand').getBoundingClientRect().height,
          lowestTop: Math.max(...parts.map((b) => b.top)),
          highestBottom: Math.min(...parts.map((b) => b.bottom))};
}"""


def test_the_navbar_is_one_line_on_a_laptop(browser, live_server):
    call_command("demo_data", password=PASSWORD, stdout=open("/dev/null", "w"))  # noqa: SIM115
    problems = []
    for email in ["staff@sztu-demo.cn", "hr@xiaomi-demo.cn", "admin@sztu-demo.cn", "202300001@qq.com"]:
        context = browser.new_context(viewport=LAPTOP, locale="zh-CN")
        page = context.new_page()
        _sign_in(page, live_server.url, email)
        for code, button, lang in LANGUAGES:
            _choose_language(page, button, lang)
            for width in LAPTOP_WIDTHS:
                page.set_viewport_size({"width": width, "height": LAPTOP["height"]})
                bar = page.evaluate(NAVBAR_JS)
                # One line: all items share one horizontal band; the bar is the brand's height plus padding.
                if bar["lowestTop"] >= bar["highestBottom"] or bar["navHeight"] > bar["brandHeight"] + 24:
                    problems.append(f"{email} [{code}] at {width} px the navbar wraps: {bar}")
        context.close()
    assert not problems, "\n".join(problems)


# Where a student taps through the courses: (page, what, selector of every element to measure).
TAP_TARGETS = [
    ("/courses/", "course card", "main a.course-card"),
    ("/courses/NR101/", "lesson link", "#lessons-title ~ ol a"),
    ("/courses/NR101/", "quiz attempt link", "#quiz-title ~ ul a"),
    ("/courses/NR102/", "course button", "main .btn"),  # NR101 is passed: no button left there
    ("/courses/NR101/lessons/2/", "lesson button", "main .btn"),
    ("/courses/NR105/quiz/", "quiz option", "main fieldset .form-check-label"),
    ("/courses/NR105/quiz/", "quiz button", "main .btn"),
]


def test_course_links_and_quiz_options_are_big_enough_to_tap(browser, live_server):
    call_command("demo_data", password=PASSWORD, stdout=open("/dev/null", "w"))  # noqa: SIM115
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    _sign_in(page, live_server.url, "202300001@qq.com")
    problems = []
    for code, button, lang in LANGUAGES:
        _choose_language(page, button, lang)
        for path, what, selector in TAP_TARGETS:
            if urlsplit(page.url).path != path:
                page.goto(f"{live_server.url}{path}")
            boxes = [box for box in (item.bounding_box() for item in page.locator(selector).all()) if box]
            if not boxes:
                problems.append(f"[{code}] {path}: no {what} found")
            for box in boxes:
                if box["height"] < MIN_TAP:
                    problems.append(f"[{code}] {path}: a {what} is {box['height']:.0f} px high (< {MIN_TAP})")
                    break
    context.close()
    assert not problems, "\n".join(problems)
