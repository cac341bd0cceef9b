from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Model
from django.http import HttpRequest

from .models import Tombstone, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Preferences", {"fields": ("timezone",)}))
    list_display = ("username", "email", "timezone", "is_staff", "date_joined")


@admin.register(Tombstone)
class TombstoneAdmin(admin.ModelAdmin):
    """Deletions the sync lists report (read only: written by the services that delete)."""

    list_display = ("user", "kind", "object_id", "deleted_at")
    list_filter = ("kind",)
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email")
    show_full_result_count = False  # one row per deletion: counting them all is not worth it

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
