"""Organisations, people and the contact inventory, scoped exactly like the pages."""

from django.db.models import Prefetch
from rest_framework import routers, serializers

from waardig.areas.models import Municipality
from waardig.core.api import ReadOnlyScopedViewSet, ScopedViewSet
from waardig.organisations import services
from waardig.organisations.models import ContactPerson, Membership, Organisation, Person


class OrganisationSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "municipality", "website", "email", "phone"]


class OrganisationViewSet(ReadOnlyScopedViewSet):
    queryset = Organisation.objects.select_related("municipality")
    serializer_class = OrganisationSerializer
    filterset_fields = ["kind"]


class MembershipSerializer(serializers.ModelSerializer):
    organisation = serializers.StringRelatedField()

    class Meta:
        model = Membership
        fields = ["organisation", "function", "start", "end"]


class PersonSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "email", "phone", "memberships"]


class PersonViewSet(ReadOnlyScopedViewSet):
    queryset = Person.objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("organisation"))
    )
    serializer_class = PersonSerializer


class ContactPersonSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all()
    )
    name = serializers.CharField(source="person.name", max_length=200)
    email = serializers.EmailField(source="person.email")
    phone = serializers.CharField(
        source="person.phone", max_length=30, required=False, allow_blank=True
    )
    organisation = serializers.SlugRelatedField(
        slug_field="name",
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        write_only=True,
    )

    class Meta:
        model = ContactPerson
        fields = [
            "id",
            "municipality",
            "topic",
            "name",
            "email",
            "phone",
            "function",
            "notes",
            "organisation",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]


class ContactPersonViewSet(ScopedViewSet):
    """Readable by the whole network; each municipality maintains its own entries."""

    queryset = ContactPerson.objects.select_related("municipality", "person")
    serializer_class = ContactPersonSerializer
    filterset_fields = ["topic"]

    def base_queryset(self):
        queryset = super().base_queryset()
        if code := self.request.query_params.get("municipality"):
            queryset = queryset.filter(municipality__code=code)
        return queryset

    def save_object(self, instance, data):
        person = data.pop("person", {})
        current = services.contact_values(instance) if instance else {}
        values = {**current, **data, **person}
        values.setdefault("phone", "")
        return services.save_contact(
            self.request.user,
            contact=instance,
            municipality=values["municipality"],
            topic=values["topic"],
            name=values["name"],
            email=values["email"],
            phone=values.get("phone", ""),
            function=values.get("function", ""),
            notes=values.get("notes", ""),
            organisation=values.get("organisation"),
        )

    def remove_object(self, instance):
        services.delete_contact(self.request.user, instance)


router = routers.SimpleRouter(trailing_slash=True)
router.register("organisations", OrganisationViewSet)
router.register("people", PersonViewSet)
router.register("contact-persons", ContactPersonViewSet)
urlpatterns = router.urls
