from django.contrib import admin

from talentgate.reference.models import Country, Currency, ExchangeRate, ExchangeRateTable


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["iso_alpha2", "iso_alpha3", "m49_code", "name_en", "region", "sub_region"]
    list_filter = ["region", "sub_region"]
    search_fields = ["iso_alpha2", "iso_alpha3", "name_en"]


@admin.register(Currency)
class CurrencyAdmin(admin.ModelAdmin):
    list_display = ["code", "numeric", "name"]
    search_fields = ["code", "name"]
    list_filter = ["source"]


class ExchangeRateInline(admin.TabularInline):
    model = ExchangeRate
    extra = 0


@admin.register(ExchangeRateTable)
class ExchangeRateTableAdmin(admin.ModelAdmin):
    list_display = ["name", "base_currency", "compiled"]
    search_fields = ["name"]
    list_filter = ["base_currency"]
    inlines = [ExchangeRateInline]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["table", "currency", "valid_from", "valid_to", "units_per_base", "method"]
    list_filter = ["table", "currency", "method"]
    search_fields = ["currency"]
