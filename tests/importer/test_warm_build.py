"""What an import records survives the build cache: a warm build equals a clean one."""

from __future__ import annotations

import shutil
from collections.abc import Callable

from conftest import MakeSite, Run, article, tree_bytes

SitegenRun = Callable[..., Run]

DIGEST = "sha256:" + "ab" * 32


def test_a_warm_build_keeps_captions_and_provenance(make_site: MakeSite, sitegen: SitegenRun) -> None:
    imported = article(
        "Harbour tolls rise",
        "2024-06-03",
        body="The port raised its tolls.",
        source_url='"https://news.example/harbour-tolls"',
        captured="2024-06-04T08:15:00+00:00",
        source_digest=f'"{DIGEST}"',
        captions='["The harbour at dawn.", {text: "The toll booth.", image: "https://news.example/booth.jpg"}]',
    )
    root = make_site({"content/2024/tolls.md": imported, "content/other.md": article("Other", "2024-06-01")})
    assert sitegen("build", cwd=root).code == 0
    (root / "content/other.md").write_text(article("Other", "2024-06-01", body="Edited."))
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    assert "1 article parsed" in run.out  # the imported article came from the cache
    warm = tree_bytes(root / "site")
    page = warm["2024/06/tolls/index.html"].decode()
    assert "The harbour at dawn." in page
    assert "The toll booth." in page
    assert "Captured" in page
    shutil.rmtree(root / ".sitegen")
    shutil.rmtree(root / "site")
    assert sitegen("build", cwd=root).code == 0
    assert tree_bytes(root / "site") == warm
