"""The Actions & milestones page's item models, filter proxy, delegates and dialogs."""
