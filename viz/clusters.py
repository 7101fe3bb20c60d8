"""Grouping the nodes an nn module built: clusters by the ``named_parameters`` prefix.

A parameter labelled ``layers.0.neurons.1.w.0`` lives in the neuron ``layers.0.neurons.1``,
itself inside the layer ``layers.0``. Nodes computed from one neuron's parameters (its fused
``Σwx+b``, its activation) join that neuron's cluster.
"""
from __future__ import annotations

__all__ = ["parameter_prefixes", "cluster_paths"]


def parameter_prefixes(label: str) -> tuple:
    """The nested module paths a parameter label belongs to, outermost first.

    Each prefix ending at a list index is a level (a layer, a neuron); the module holding the
    parameter is the last level.

    >>> parameter_prefixes("layers.0.neurons.1.w.0")
    ('layers.0', 'layers.0.neurons.1')
    >>> parameter_prefixes("layers.1.neurons.0.b")
    ('layers.1', 'layers.1.neurons.0')
    >>> parameter_prefixes("fc1.weight"), parameter_prefixes("w1")
    (('fc1',), ())
    """
    parts = label.split(".")
    end = len(parts)
    while end and parts[end - 1].isdigit():  # the index of the parameter in its list (w.0)
        end -= 1
    end -= 1                                  # the parameter's own name (w, b, weight)
    if end <= 0:
        return ()
    prefixes = [".".join(parts[:i + 1]) for i in range(end) if parts[i].isdigit()]
    module = ".".join(parts[:end])
    if module not in prefixes:
        prefixes.append(module)
    return tuple(prefixes)


def cluster_paths(order, is_constant) -> dict:
    """``id(node) -> tuple of prefixes`` (empty: no cluster) for every node of ``order``.

    Parameters take their label's prefixes. An op node joins the cluster its parameter inputs
    agree on (a neuron's ``Σwx+b``); with no parameter input, it joins the cluster all its
    computed inputs agree on (the neuron's activation). Otherwise it stays outside.
    """
    paths = {}
    for node in order:
        if not node.parents:
            paths[id(node)] = parameter_prefixes(node.label) if node.label else ()
            continue
        params = {paths[id(p)] for p in node.parents if not p.parents and paths[id(p)]}
        if params:
            paths[id(node)] = params.pop() if len(params) == 1 else ()
            continue
        inputs = [p for p in node.parents if not is_constant(p)]
        found = {paths[id(p)] for p in inputs}
        ok = inputs and all(p.parents for p in inputs) and len(found) == 1
        paths[id(node)] = found.pop() if ok else ()
    return paths
