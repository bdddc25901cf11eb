"""Planning: areas of focus, workshops and their capture, actions, milestones, the roadmap and the terms of
reference's own words."""
