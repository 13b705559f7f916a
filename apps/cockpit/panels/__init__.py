"""The cockpit's panels, one module per domain; each reads that domain's own selectors within the viewer's scope."""
