/* The interactive API reference (/docs/try): starts Swagger UI on this server's /openapi.json. A file of its
   own because the pages' Content-Security-Policy forbids inline scripts. */
(function () {
  "use strict";
  function start() {
    var root = document.getElementById("swagger-ui");
    if (!root || typeof window.SwaggerUIBundle !== "function") return;
    root.textContent = "";
    window.SwaggerUIBundle({
      url: root.getAttribute("data-openapi"),
      domNode: root,
      deepLinking: true,
      tryItOutEnabled: false,
      displayRequestDuration: true,
      defaultModelsExpandDepth: 0,
      persistAuthorization: false,
      layout: "BaseLayout"
    });
  }
  if (document.readyState !== "loading") start();
  else document.addEventListener("DOMContentLoaded", start);
})();
