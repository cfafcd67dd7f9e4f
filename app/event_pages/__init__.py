"""The event pages: the public event pages and the organiser's event management (/console).

They are views, in the interface layer, apart from app.events (the event records, below
registrations): these pages show and change registrations, check-in and the lifecycle."""
