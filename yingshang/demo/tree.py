"""Lay out a django-treebeard materialised-path tree in memory and save it with one bulk insert.

``add_child`` costs several queries per node (find the last sibling, sort, update the parent's
``numchild``); a generated city has hundreds of units. Here each node gets the path treebeard would
give it — siblings in ``node_order_by`` order, steps 0001, 0002 … — and ``find_problems()`` on the
result is clean (see yingshang/tests/test_demo.py). Only for building a tree into an empty table.
"""

from collections import defaultdict

from treebeard.mp_tree import MP_Node


class TreePlan:
    """Nodes of one MP_Node model added with their parent, saved together by ``save()``."""

    def __init__(self, model: type[MP_Node]) -> None:
        self.model = model
        self.nodes: list[MP_Node] = []
        self._children: dict[int | None, list[MP_Node]] = defaultdict(list)

    def add(self, parent: MP_Node | None, node: MP_Node) -> MP_Node:
        """Plan ``node`` under ``parent`` (None for a root); returns the node, unsaved."""
        self.nodes.append(node)
        self._children[id(parent) if parent is not None else None].append(node)
        return node

    def save(self) -> list[MP_Node]:
        """Give every node its path, depth and numchild, insert them all and return them with their ids."""
        self._place(self._children[None], parent_path="", depth=1)
        created = self.model.objects.bulk_create(self.nodes, batch_size=500)
        if any(node.pk is None for node in created):  # a database that cannot return ids from bulk inserts
            ids = dict(self.model.objects.filter(path__in=[n.path for n in created]).values_list("path", "pk"))
            for node in created:
                node.pk = ids[node.path]
        return created

    def _place(self, siblings: list[MP_Node], *, parent_path: str, depth: int) -> None:
        order = self.model.node_order_by
        ordered = sorted(siblings, key=lambda node: [getattr(node, field) for field in order]) if order else siblings
        for position, node in enumerate(ordered, start=1):
            children = self._children.get(id(node), [])
            node.path, node.depth, node.numchild = parent_path + self._step(position), depth, len(children)
            self._place(children, parent_path=node.path, depth=depth + 1)

    def _step(self, number: int) -> str:
        alphabet, digits = self.model.alphabet, ""
        while number:
            number, rest = divmod(number, len(alphabet))
            digits = alphabet[rest] + digits
        return digits.rjust(self.model.steplen, alphabet[0])
