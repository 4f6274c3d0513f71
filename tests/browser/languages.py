"""The fixture archive in another interface language: Arabic (right to left) and Japanese.

Each variant is the same archive with ``language`` set in sitegen.yaml and one article of its
own in that language, so every page kind is there in both scripts.
"""

from __future__ import annotations

from .archive import CONFIG, fixture_archive

ARABIC = """\
---
title: "المجلس البلدي يوافق على عبّارة ليلية ثانية"
date: 2025-04-16T20:15:00+03:00
author: "ليلى حداد"
source: "Estuary Gazette"
topics: ["Transport", "Economy"]
tags: ["ferries"]
language: ar
summary: "ستعبر عبّارة ثانية بعد منتصف الليل اعتبارًا من يونيو."
---

صوّت المجلس البلدي يوم الاثنين على تشغيل عبّارة ليلية ثانية بين المدينة والضفة المقابلة،
بعد حملة استمرت عامين قادها عمال المناوبات الليلية في المستشفى والميناء.

ستغادر العبّارة الجديدة عند الساعة 00:40 و02:10 اعتبارًا من يونيو، وتبقى الأسعار كما هي في النهار.
"""

JAPANESE = """\
---
title: "干潟の町で夜間フェリーの増便が決定"
date: 2025-04-16T20:15:00+09:00
author: "佐藤 花子"
source: "Estuary Gazette"
topics: ["Transport", "Economy"]
tags: ["ferries"]
language: ja
summary: "6月から深夜0時以降にもう一便が運航される。"
---

町議会は月曜日、夜間フェリーを一便増やす案を可決した。病院と港で夜勤をする人たちが二年間求めてきたものだ。

新しい便は6月から0時40分と2時10分に出航し、運賃は昼間と同じになる。
"""

VARIANTS = {
    "ar": ("content/2025/night-ferry-ar.md", ARABIC, "2025/04/night-ferry-ar/"),
    "ja": ("content/2025/night-ferry-ja.md", JAPANESE, "2025/04/night-ferry-ja/"),
}


def language_archive(language: str) -> dict[str, str]:
    """The fixture archive with its interface in ``language`` and one article written in it."""
    files = fixture_archive()
    files["sitegen.yaml"] = CONFIG.replace("language: en", f"language: {language}")
    path, text, _ = VARIANTS[language]
    files[path] = text
    return files
