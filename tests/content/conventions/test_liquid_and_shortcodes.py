"""Jekyll's Liquid, Hugo's shortcodes and Zola's links, each with its generator's semantics."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from conftest import MakeSite, Run

from sitegen.content.conventions.translations import TRANSLATIONS

SitegenRun = Callable[..., Run]


def body_of(page: Path) -> str:
    match = re.search(r'<div class="article-body">\n(.*?)\n  </div>', page.read_text(), re.DOTALL)
    assert match is not None
    return match.group(1).strip()


JEKYLL_POST = """---
title: Spring
---
{% assign n = 3 %}Count: {% for i in (1..n) %}{{ i }}{% endfor %}.

See [winter]({% link _posts/2015-12-01-winter.markdown %}) and [again]({% post_url 2015-12-01-winter %}).

{% highlight ruby linenos %}
def greet
  puts "*hi* {{ page.title }}"
end
{% endhighlight %}

Write `{% raw %}{{ page.title }}{% endraw %}` to show the title.

{% include note.md text="Careful" %}

Lead: {{ site.data.team.lead }}. Unknown: [{{ page.nothing }}].

{% youtube abc123 %}
"""


def test_jekyll_liquid_renders_before_markdown(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {
            "content/_posts/2016-03-10-spring.md": JEKYLL_POST,
            "content/_posts/2015-12-01-winter.markdown": "---\ntitle: Winter\n---\nCold.\n",
            "content/_includes/note.md": "**Note:** {{ include.text }}\n",
            "content/_data/team.yml": "lead: Ada\n",
        }
    )
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    assert run.err.splitlines() == [
        "content/_posts/2016-03-10-spring.md:20: warning: the Liquid tag 'youtube' is not translated; "
        "it is shown as text",
    ]
    assert body_of(root / "site/2016/03/spring/index.html") == "\n".join(
        [
            "<p>Count: 123.</p>",
            '<p>See <a href="/2015/12/winter/">winter</a> and <a href="/2015/12/winter/">again</a>.</p>',
            '<pre><code class="language-ruby">def greet',
            "  puts &quot;*hi* Spring&quot;",
            "end",
            "</code></pre>",
            "<p>Write <code>{{ page.title }}</code> to show the title.</p>",
            "<p><strong>Note:</strong> Careful</p>",
            "<p>Lead: Ada. Unknown: [].</p>",
            "<p>{% youtube abc123 %}</p>",
        ]
    )


def test_liquid_is_only_for_jekyll_files(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site({"content/notes.md": "---\ntitle: Notes\ndate: 2020-01-01\n---\nTemplates use `{% if x %}`.\n"})
    assert sitegen("build", cwd=root).code == 0
    assert body_of(root / "site/2020/01/notes/index.html") == "<p>Templates use <code>{% if x %}</code>.</p>"


def test_broken_liquid_leaves_the_text_as_written(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site({"content/_posts/2020-01-01-broken.md": "---\ntitle: Broken\n---\nA\n\n{% if %}x\n"})
    run = sitegen("build", cwd=root)
    assert run.code == 0
    assert run.err.splitlines() == [
        "content/_posts/2020-01-01-broken.md:6: warning: Liquid could not be rendered "
        "(missing expression); the text is shown as written",
    ]
    assert "{% if %}x" in body_of(root / "site/2020/01/broken/index.html")


HUGO_POST = """+++
title = "Trip"
date = 2020-05-01T10:00:00Z
canonical_url = "https://old.example.org/trip"
+++
{{< figure src="map.svg" alt="Route" caption="The route we took" >}}

Read [the plan]({{< ref "plan.md" >}}) or [again]({{< relref "/posts/plan" >}}).

{{< highlight go "linenos=table" >}}
fmt.Println("{{ x }}")
{{< /highlight >}}

{{< youtube w7Ft2ymGmfc >}}

Original: [here]({{% param canonical_url %}}).

Write {{</* figure src="x.png" */>}} to add a figure.

{{< notice warning >}}Careful.{{< /notice >}}
{{< notice >}}Again.{{< /notice >}}
"""


def test_hugo_shortcodes_are_translated(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {
            "content/posts/trip/index.md": HUGO_POST,
            "content/posts/trip/map.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
            "content/posts/plan.md": "---\ntitle: Plan\ndate: 2020-04-01\n---\nPlan.\n",
        }
    )
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    assert run.err.splitlines() == [
        "content/posts/trip/index.md:20: warning: the Hugo shortcode 'notice' is not translated; it is shown as text",
    ]
    assert body_of(root / "site/2020/05/trip/index.html") == "\n".join(
        [
            '<p><img src="map.svg" alt="Route" /></p>',
            "<p><em>The route we took</em></p>",
            '<p>Read <a href="/2020/04/plan/">the plan</a> or <a href="/2020/04/plan/">again</a>.</p>',
            '<pre><code class="language-go">fmt.Println(&quot;{{ x }}&quot;)',
            "</code></pre>",
            '<p><a href="https://www.youtube.com/watch?v=w7Ft2ymGmfc">YouTube video w7Ft2ymGmfc</a></p>',
            '<p>Original: <a href="https://old.example.org/trip">here</a>.</p>',
            "<p>Write {{&lt; figure src=&quot;x.png&quot; &gt;}} to add a figure.</p>",
            "<p>{{&lt; notice warning &gt;}}Careful.{{&lt; /notice &gt;}}",
            "{{&lt; notice &gt;}}Again.{{&lt; /notice &gt;}}</p>",
        ]
    )
    assert (root / "site/2020/05/trip/map.svg").exists()


ZOLA_POST = """+++
title = "Tides"
date = 2021-06-14
+++
See [the moon](@/blog/moon.md#orbit).

{{ youtube(id="dQw4w9WgXcQ") }}

{% note(kind="info") %}
Inside.
{% end %}
"""


def test_zola_links_and_shortcodes(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {
            "content/blog/tides.md": ZOLA_POST,
            "content/blog/moon.md": '+++\ntitle = "Moon"\ndate = 2021-06-01\n+++\nRound.\n',
        }
    )
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    assert run.err.splitlines() == [
        "content/blog/tides.md:9: warning: the Zola shortcode 'note' is not translated; it is shown as text",
    ]
    assert body_of(root / "site/2021/06/tides/index.html") == "\n".join(
        [
            '<p>See <a href="/2021/06/moon/#orbit">the moon</a>.</p>',
            '<p><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">YouTube video dQw4w9WgXcQ</a></p>',
            "<p>{% note(kind=&quot;info&quot;) %}",
            "Inside.",
            "{% end %}</p>",
        ]
    )


def test_readme_lists_every_translation() -> None:
    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    for row in TRANSLATIONS:
        assert f"| {row.generator} | `{row.name}` | {row.becomes} |" in readme
