"""The event lifecycle: what happens to an event that reaches into its registrations, tickets
and check-in — publishing (ticket key, checkpoints), cancelling (lock, tell the registrants),
capacity changes that move people off the waiting list, and agenda sessions with their
checkpoints and bookings. app.events keeps the plain records; this layer sits above
registrations, tickets and check-in and below the programmes built on events."""
