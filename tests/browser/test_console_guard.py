"""The console guard of conftest hears what a page says: an error logged by a script and an
inline script refused by the CSP both count as problems, on every page of every context."""

from tests.browser.conftest import log_in


def test_the_guard_hears_errors_and_csp_violations(new_context, site, console):
    page = new_context("desktop").new_page()
    log_in(page, "aishan")
    page.goto("/units/")
    assert console.problems() == []
    page.evaluate("() => console.error('deliberate')")
    page.evaluate(
        """() => {
            const s = document.createElement('script');
            s.textContent = 'window.__inline = 1';
            document.body.appendChild(s);
        }"""
    )
    second = new_context("phone").new_page()
    second.goto("/accounts/login/")
    second.evaluate("() => setTimeout(() => { throw new Error('uncaught') }, 0)")
    for _ in range(20):
        if len(console.problems()) >= 3:
            break
        page.wait_for_timeout(100)
    problems = console.problems()
    assert any("deliberate" in line for line in problems), problems
    assert any("Content Security Policy" in line for line in problems), problems
    assert any(line.startswith("pageerror:") and "uncaught" in line for line in problems), problems
    console.forgive(lambda line: line in problems)
    assert console.problems() == []
