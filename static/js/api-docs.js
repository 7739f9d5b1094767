// The documentation page: Swagger UI (vendored under static/vendor/swagger-ui) renders the
// OpenAPI schema named by the page, served by the portal itself.
document.addEventListener("DOMContentLoaded", () => {
  const target = document.getElementById("swagger-ui");
  if (!target || typeof window.SwaggerUIBundle !== "function") return;
  window.SwaggerUIBundle({
    url: target.dataset.schemaUrl,
    domNode: target,
    deepLinking: false,
    tryItOutEnabled: true,
  });
});
