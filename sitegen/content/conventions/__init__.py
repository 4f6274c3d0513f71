"""Other generators' conventions (Jekyll, Hugo, Zola, Pelican, MDX blogs), read as sitegen's own.

Each module holds one convention, declared as data where it can be: the file kinds read as
articles (``files``), front-matter formats (``formats``), date forms and dated file names
(``dates``), field aliases (``aliases``), MDX lines (``mdx``), Hugo shortcodes and Zola links
(``shortcodes``), Jekyll's Liquid (``liquid``) and redirect pages (``redirects``). The loader
calls them through a few hooks, so an archive copied from another generator builds as it is.
"""
