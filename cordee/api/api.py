from ninja import NinjaAPI

api = NinjaAPI(title="Cordée API", version="1", urls_namespace="api")
