"""What the conventions add survives the build cache: a warm build equals a clean one."""

from __future__ import annotations

import shutil
from collections.abc import Callable

from conftest import MakeSite, Run, article, tree_bytes

SitegenRun = Callable[..., Run]


def test_a_warm_build_keeps_redirects_lead_images_and_section_intros(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {
            "content/_index.md": "---\ntitle: Journal\n---\nFrom the start.\n",
            "content/posts/trip/index.md": '+++\ntitle = "Trip"\ndate = 2020-05-01\naliases = ["old-trip"]\n'
            'cover = "map.png"\n+++\nText.\n',
            "content/posts/trip/map.png": b"\x89PNG map",
            "content/other.md": article("Other", "2020-06-01"),
        }
    )
    assert sitegen("build", cwd=root).code == 0
    (root / "content/other.md").write_text(article("Other", "2020-06-01", body="Edited."))
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    warm = tree_bytes(root / "site")
    assert "posts/old-trip/index.html" in warm
    assert b'<meta property="og:image"' in warm["2020/05/trip/index.html"]
    assert b'<div class="intro prose"><p>From the start.</p>' in warm["index.html"]
    shutil.rmtree(root / ".sitegen")
    shutil.rmtree(root / "site")
    assert sitegen("build", cwd=root).code == 0
    assert tree_bytes(root / "site") == warm
