"""Portal pages of the assessment domain: scores and their explanation, where-would-I-qualify, policy versions
and their governance, pool reassessment, and selection rounds."""
