"""Job fairs and campus recruiting: employers' booths, their positions and 扫码投递 (a job seeker
scans a booth's code and shares a short profile with that employer, with consent)."""
