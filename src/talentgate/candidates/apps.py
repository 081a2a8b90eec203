from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "talentgate.candidates"
    label = "candidates"
    verbose_name = "Candidates"
