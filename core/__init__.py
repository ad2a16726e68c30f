"""The ground floor: users and roles, and the helpers every app uses (imports no other app of the project)."""
