"""Identity and duplicates: suspected duplicate people found on profile writes and submissions, the
officers' queue that dismisses or merges them, and merges that keep both people's histories."""
