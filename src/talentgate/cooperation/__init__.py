"""The international cooperation registry: partner countries with their UN M49 regions, blocs and groupings with
dated memberships, international organisations, cooperation agreements, mega-science facilities with their
collaboration programmes, and exchange and academic-mobility programmes with quotas per partner country.

Every row names its sources; the shipped data (``cooperation/data/*.yaml``) is loaded after every migrate and by
``talentgate registry load``, and ``talentgate registry check`` reports what is missing.

Bloc, organisation and region filters (``selectors.countries_in_bloc``, ``selectors.countries_in_region``) serve
analytics, this registry and exchange-quota programmes only. They are **never** a filter or a score input in a
merit round (DESIGN.md section 1): selection is by merit, and citizenship may gate eligibility only where a
programme's legal basis (a bilateral agreement or an exchange quota cited in its policy's source) requires it.
"""
