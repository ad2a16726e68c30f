"""Training pages: `staff` (officers: programmes, attendance, follow-ups, conversation) and `owner` (my trainings,
joining open programmes). BPOM facilitation pages are in `training.facilitation.views`."""
