"""The organisation pages of the console that read across programmes: an organisation's people,
events, cohorts and awards, and the 引才合作站 counts. They sit in the interface layer because the
registry (app/organisations) is below the programmes and cannot import them."""
