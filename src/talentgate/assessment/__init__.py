"""Assessment: policy versions with their governance, stored assessments of applications, and selection rounds."""
