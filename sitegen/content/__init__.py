"""Reading articles: discover files, split front matter, validate fields, render Markdown."""
