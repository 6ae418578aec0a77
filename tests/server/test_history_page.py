"""The history page (newsroom issue, defect 4): batch runs keep whole local paths as sources, which wrapped
mid-word on phones; the list shows the file name (a URL's host) and keeps the whole source in a title."""

from __future__ import annotations

import propwatch_test_fakes as fakes  # registered by tests/conftest.py

LONG_PATH = "/home/researcher/projects/outlets-2019/alpha.example/articles/2019-01-05-report-from-the-front.txt"


def test_sources_show_a_file_name_or_host_with_the_whole_source_as_title(make_client):
    c = make_client()
    store = c.app.state.service.store
    for source in (LONG_PATH, "https://www.example.com/news/2019/01/05/a-very-long-address-of-a-story.html",
                   "alpha.example", None):
        store.save(fakes.make_analysis(source=source))
    html = c.get("/history").text
    assert f'<td class="source" title="{LONG_PATH}">2019-01-05-report-from-the-front.txt</td>' in html
    assert ('<td class="source" title="https://www.example.com/news/2019/01/05/a-very-long-address-of-a-story.html">'
            "www.example.com</td>") in html
    assert '<td class="source">alpha.example</td>' in html and '<td class="source">pasted text</td>' in html
    assert html.count('data-label="Score"') == 4 and html.count('class="when"') == 4
