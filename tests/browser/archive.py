"""The fixture archive the browser suite builds: seven short articles written for it.

Small, but it has every page kind (home with a second page, article, topic, source, author,
tag, date archives, search, 404) and the things that tend to break a layout or a checker:
a table, footnotes, inline code, a preformatted block, a blockquote, an SVG chart, a
curator's note, an updated date, a German article, and a long unbroken URL in the text.
"""

from __future__ import annotations

CONFIG = """\
title: "Estuary Clippings"
description: "A small archive of local news from a fictional estuary, kept for the browser tests."
base_url: "https://clippings.example/"
language: en
author: "The test curators"
per_page: 3
"""

FERRY = """\
---
title: "Tidewater council approves a second night ferry"
date: 2025-04-14T18:30:00+01:00
updated: 2025-04-15T08:00:00+01:00
author: "Ruth Ansel"
source: "Estuary Gazette"
source_url: "https://estuary-gazette.example/2025/04/night-ferry"
topics: ["Transport"]
tags: ["ferries", "night services"]
summary: "From June a second ferry will cross between Tidewater and Saltash Point after midnight."
note: "Kept for the *night ferry* file; compare the bus lane survey from 2023."
---

TIDEWATER, April 14 - The town council voted on Monday to run a second night ferry between
Tidewater and Saltash Point, ending a two-year campaign by shift workers at the hospital and
the container terminal.

The new ferry will leave Tidewater at 00:40 and 02:10 from June, and the existing night ferry
will keep its 01:25 crossing. Councillors approved the plan by eleven votes to two.

> "The last ferry used to decide when a nurse could go home," said Imke Sorel, who works
> nights on the maternity ward. "Now the ward decides, which is how it should be."

## What it costs

The council put the cost of the extra ferry crossings at 310,000 a year, of which the hospital
trust has agreed to pay a third. Fares stay at the daytime rate.
"""

KELP = """\
---
title: "Kelp co-operative doubles its harvest in a cold spring"
date: 2025-02-03
author: ["Tomas Vey", "Ruth Ansel"]
source: "Shoreline Weekly"
topics: ["Economy", "Climate"]
tags: ["kelp", "fisheries"]
summary: "Eleven boats brought in twice last year's sugar kelp, and the buyers kept up."
---

The Saltash Point kelp co-operative landed 84 tonnes of sugar kelp this winter, double the
season before[^1], after a cold spring kept the fronds growing for three extra weeks.

| Season  | Boats | Harvest (tonnes) | Price per tonne |
|---------|------:|-----------------:|----------------:|
| 2022-23 |     7 |               31 |             410 |
| 2023-24 |     9 |               42 |             395 |
| 2024-25 |    11 |               84 |             380 |

Most of the harvest goes to a food processor inland; the rest is dried on the quay and sold as
garden fertiliser[^2].

[^1]: Figures from the co-operative's annual meeting, checked against the harbour's landing records.
[^2]: The co-operative says fertiliser brings in about a tenth of its income.
"""

CAMERAS = """\
---
title: "Library lends heat cameras to find draughty windows"
date: 2024-11-20
author: "Ines Marrow"
source: "Estuary Gazette"
topics: ["Housing", "Energy"]
tags: ["energy efficiency", "libraries"]
summary: "Borrowers photograph their homes in infrared, then bring the pictures to a weekly clinic."
---

Tidewater library has added four thermal cameras to its lending shelves. Borrowers take one
home for a week, photograph their walls and windows on a cold evening, and bring the pictures
to a clinic on Thursdays, where volunteers explain what the colours mean.

![Bar chart of camera loans per month, rising from 12 in September to 41 in November](loans-chart.svg)

The camera's app saves each picture with a name like `IMG_THERMAL_0042.jpg`, which the clinic
asks borrowers to keep, so that a second round of pictures after any repairs can be compared.

The full guide is on the library's website at
https://tidewater-library.example/guides/thermal-camera-loans/how-to-read-a-heat-picture-of-a-sash-window-in-winter-and-what-to-do-next
and printed copies are at the front desk.
"""

CHART = """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 160" role="img">
<title>Camera loans per month</title>
<rect x="0" y="0" width="320" height="160" fill="#ffffff"/>
<rect x="30" y="118" width="60" height="22" fill="#0b5cad"/>
<rect x="130" y="86" width="60" height="54" fill="#0b5cad"/>
<rect x="230" y="58" width="60" height="82" fill="#0b5cad"/>
<text x="60" y="155" font-size="12" text-anchor="middle" fill="#1d1d1b">Sep 12</text>
<text x="160" y="155" font-size="12" text-anchor="middle" fill="#1d1d1b">Oct 27</text>
<text x="260" y="155" font-size="12" text-anchor="middle" fill="#1d1d1b">Nov 41</text>
</svg>
"""

GERMAN = """\
---
title: "Stadtwerke Morbach testen Wärmespeicher im Freibad"
date: 2024-06-09
language: de
author: "Katrin Löhr"
source: "Morbacher Anzeiger"
topics: ["Energy"]
tags: ["Fernwärme"]
summary: "Das Becken des alten Freibads speichert im Sommer Wärme für den Winter."
---

MORBACH - Das seit Jahren geschlossene Freibad am Stadtrand soll wieder gebraucht werden:
nicht zum Schwimmen, sondern als Wärmespeicher. Die Stadtwerke füllen das Becken mit Wasser,
decken es mit einer schwimmenden Dämmschicht ab und laden es im Sommer mit Wärme aus
Solarkollektoren.

Im Winter soll der Speicher rund zweihundert Wohnungen im Neubaugebiet Hangweg mitversorgen.
"""

SIRENS = """\
---
title: "Flood sirens to be tested on the first Monday of every month"
date: 2024-01-18
author: "Tomas Vey"
source: "Shoreline Weekly"
topics: ["Climate"]
tags: ["floods"]
summary: "The estuary's nine sirens will sound for one minute at noon."
---

The nine flood sirens along the estuary will be tested at noon on the first Monday of each
month, the harbour authority said, after residents in Lower Quay said they had not recognised
the warning during the storm surge in December.

A test sounds as a steady tone for one minute. A real warning rises and falls.

    TEST:    steady tone, 60 s, first Monday 12:00
    WARNING: rising and falling tone, repeated, any time
"""

BUS_LANE = """\
---
title: "Bus lane on Quarry Road cuts journey times, survey says"
date: 2023-09-30
author: "Ines Marrow"
source: "Estuary Gazette"
topics: ["Transport"]
tags: ["buses"]
summary: "The number 4 bus is six minutes faster at the morning peak."
---

A year after the bus lane opened on Quarry Road, the number 4 bus takes six minutes less at
the morning peak, a survey for the council found. Some riders said they had switched from the
night ferry to the late bus, which now runs on time.
"""

WEATHER = """\
---
title: "Harbour school installs a rooftop weather station"
date: 2023-03-12
author: "Katrin Löhr"
source: "Shoreline Weekly"
topics: ["Climate", "Education"]
tags: ["schools", "weather"]
---

Pupils at Harbour Street primary school will record wind, rain and temperature from a weather
station on the school roof, and publish the readings on the school's website every morning.
"""


def fixture_archive() -> dict[str, str]:
    """The archive's files: paths relative to its root, and their text."""
    return {
        "sitegen.yaml": CONFIG,
        "content/2025/night-ferry.md": FERRY,
        "content/2025/kelp-harvest.md": KELP,
        "content/2024/heat-cameras.md": CAMERAS,
        "content/2024/loans-chart.svg": CHART,
        "content/2024/waermespeicher-freibad.md": GERMAN,
        "content/2024/flood-sirens.md": SIRENS,
        "content/2023/quarry-road-bus-lane.md": BUS_LANE,
        "content/2023/weather-station.md": WEATHER,
    }


# One URL per page kind, relative to the site's root (the 404 is any missing address).
PAGE_KINDS = {
    "home": "",
    "article": "2024/11/heat-cameras/",
    "topic": "topics/transport/",
    "source": "sources/estuary-gazette/",
    "author": "authors/ruth-ansel/",
    "tag": "tags/ferries/",
    "date-archive": "archive/2024/",
    "search": "search/?q=ferry",
    "404": "no/such/page/",
}
