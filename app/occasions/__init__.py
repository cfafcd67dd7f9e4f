"""Occasions: a programme held on an invitation-only event (a camp cohort, a master studio; a
competition category shares the event and scanner moves).

The event carries everything a programme shares with any other event: people hold a seat as a
confirmed registration whose ticket is their QR credential, meetings (lessons, activities) are
its agenda sessions, each with its own checkpoint, and attendance is what the one check-in
service recorded there. The programmes keep only what differs (trainers, masters, entries, judges).
"""
