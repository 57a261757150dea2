"""Known narratives: import a published narrative taxonomy and label documents and narratives with it.

Nothing is imported here: the classifier needs scikit-learn, which costs every
`narratrace` command most of a second at start-up when only `taxonomy` needs it.
"""
