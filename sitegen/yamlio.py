"""Safe YAML reading that remembers where each top-level key was written.

Timestamps are left as text so that sitegen, not the YAML library, parses dates and can
say which field and line is wrong. Only the safe loader is used; libyaml's C loader when
it is installed, since it is several times faster.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from sitegen.yamlerrors import explain

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """The safe loader without implicit timestamps."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

Lines = dict[tuple[str | int, ...], int]

# Aliases let a few lines stand for billions of values ("billion laughs"); no article needs this many.
MAX_VALUES = 100_000


@dataclass(frozen=True)
class YamlDocument:
    """Parsed data plus the 1-based line of each top-level key and of its list items."""

    data: Any
    lines: Lines


class YamlSyntaxError(Exception):
    """The text is not valid (or not safe) YAML."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def load_yaml(text: str, first_line: int = 1) -> YamlDocument:
    """Parse one YAML document; lines (in errors too) count from ``first_line``."""
    shift = first_line - 1
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(None, {})
        # Aliases need an anchor ('&'); without one the nodes form a tree, and a tree of plain
        # values is built here, far faster than by PyYAML's constructor (written in Python).
        plain = _plain_tree(node) if "&" not in text else None
        size = plain[1] if plain is not None else _expanded_size(node)
        if size > MAX_VALUES:
            raise YamlSyntaxError(
                first_line,
                f"front matter expands to more than {MAX_VALUES:,} values (are aliases nested in each other?)",
            )
        lines = _key_lines(node, shift)
        data = plain[0] if plain is not None else _construct(loader, node, shift)
    except yaml.MarkedYAMLError as error:
        explained = explain(error, text)
        line = explained.line + 1 + shift if explained.line is not None else None
        raise YamlSyntaxError(line, explained.message) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(None, f"invalid YAML: {_first_line(str(error))}") from None
    except RecursionError:
        raise YamlSyntaxError(None, "invalid YAML: nested too deeply") from None
    finally:
        loader.dispose()
    return YamlDocument(data, lines)


def _construct(loader: yaml.SafeLoader, node: yaml.Node, shift: int) -> Any:
    """The document's data; a value the constructor cannot make ("x: !!int x") is a YAML error on its line."""
    try:
        return loader.construct_document(node)
    except (ArithmeticError, LookupError, TypeError, ValueError) as error:
        line = None
        if isinstance(node, yaml.MappingNode):  # find the top-level key whose value fails, for its line
            for key_node, value_node in node.value:
                loader.constructed_objects, loader.recursive_objects = {}, {}  # as the failure left them
                try:
                    loader.construct_object(value_node, deep=True)
                except (ArithmeticError, LookupError, TypeError, ValueError, yaml.YAMLError):
                    line = key_node.start_mark.line + 1 + shift
                    break
        reason = f"unknown value {error}" if isinstance(error, LookupError) else str(error)
        raise YamlSyntaxError(line, f"invalid YAML: a value cannot be read ({reason})") from None


def _key_lines(node: yaml.Node, shift: int) -> Lines:
    """Lines of top-level keys (and list items and keys under them); duplicate keys are an error."""
    lines: Lines = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if (key,) in lines:
            raise YamlSyntaxError(
                key_node.start_mark.line + 1 + shift,
                f"duplicate key '{key}' (first given on line {lines[(key,)]})",
            )
        lines[(key,)] = key_node.start_mark.line + 1 + shift
        if isinstance(value_node, yaml.SequenceNode):
            for index, item in enumerate(value_node.value):
                lines[(key, index)] = item.start_mark.line + 1 + shift
        elif isinstance(value_node, yaml.MappingNode):  # e.g. each pattern under permalinks:
            for inner_key, _ in value_node.value:
                lines.setdefault((key, str(inner_key.value)), inner_key.start_mark.line + 1 + shift)
    return lines


def _expanded_size(root: yaml.Node) -> int:
    """How many values the document holds once every alias is expanded, in linear time.

    An alias inside the very list or mapping it names ("a: &a [*a]") expands without end:
    more than MAX_VALUES.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()  # nodes whose children are still being counted
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if children_done or not children:
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children)
            open_nodes.discard(id(node))
            continue
        if id(node) in open_nodes:  # met again below itself
            return MAX_VALUES + 1
        open_nodes.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(root)]


_STR, _NULL, _BOOL, _SEQ, _MAP = (f"tag:yaml.org,2002:{name}" for name in ("str", "null", "bool", "seq", "map"))
_BOOLS: dict[str, bool] = yaml.constructor.SafeConstructor.bool_values
_NOT_PLAIN = object()


def _plain_tree(root: yaml.Node) -> tuple[Any, int] | None:
    """The data of a tree of strings, booleans, nulls, lists and mappings, and its node count.

    The same values, in the same order, as the safe constructor makes, none of which can
    fail; None for anything else (numbers, merge keys, other tags, list or mapping keys),
    which is left to the constructor.
    """
    top = _plain_value(root)
    if top is _NOT_PLAIN:
        return None
    count = 1
    # Containers are put in place empty, in document order, and filled afterwards.
    pending: list[tuple[yaml.Node, Any]] = [(root, top)] if isinstance(root, yaml.CollectionNode) else []
    while pending:
        node, container = pending.pop()
        if isinstance(container, list):
            for item in node.value:
                value = _plain_value(item)
                if value is _NOT_PLAIN:
                    return None
                container.append(value)
                if isinstance(item, yaml.CollectionNode):
                    pending.append((item, value))
            count += len(node.value)
        else:
            for key_node, value_node in node.value:
                key = _plain_value(key_node) if isinstance(key_node, yaml.ScalarNode) else _NOT_PLAIN
                value = _plain_value(value_node)
                if key is _NOT_PLAIN or value is _NOT_PLAIN:
                    return None
                container[key] = value
                if isinstance(value_node, yaml.CollectionNode):
                    pending.append((value_node, value))
            count += 2 * len(node.value)
    return top, count


def _plain_value(node: yaml.Node) -> Any:
    """A scalar's value, or a new empty list or dict for a collection; _NOT_PLAIN otherwise."""
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        if tag == _STR:
            return node.value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return _BOOLS.get(node.value.lower(), _NOT_PLAIN)
    elif isinstance(node, yaml.SequenceNode):
        if tag == _SEQ:
            return []
    elif isinstance(node, yaml.MappingNode) and tag == _MAP:
        return {}
    return _NOT_PLAIN


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "invalid YAML"
