using System.Text;
using Microsoft.Extensions.FileProviders;

namespace TaskGrid.Gateway.Hosting;

/// <summary>
/// What a browser gets from the gateway besides the API: the task page at <c>/</c>, the cluster
/// dashboard at <c>/dashboard</c> (plain HTML, CSS and JavaScript from <c>wwwroot</c> that call
/// only the <c>/v1</c> API), Swagger UI at <c>/docs</c> and ReDoc at <c>/redocs</c>. All are
/// open without a key: the pages ask for one and send it with each API call.
/// </summary>
internal static class WebPages
{
    // The pages load nothing from elsewhere (no CDN: nothing outside loopback may be reachable).
    private const string PagePolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    // ReDoc's own page, less the web fonts it would fetch from the internet.
    private const string ReDocIndex = """
        <!DOCTYPE html>
        <html>
        <head>
            <title>%(DocumentTitle)</title>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link href="index.css" rel="stylesheet" type="text/css">
            %(HeadContent)
        </head>
        <body>
            <div id="redoc-container"></div>
            <script src="redoc.standalone.js"></script>
            <script src="index.js"></script>
        </body>
        </html>
        """;

    /// <summary>Static files and the documentation UIs; placed before authentication, so they need no key.</summary>
    public static IApplicationBuilder UseWebPages(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context => Harden(context.Context.Response),
        });
        app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = "docs";
            options.DocumentTitle = "TaskGrid API";
            options.SwaggerEndpoint(OpenApiDocumentation.DocumentPath, "TaskGrid v1");
            options.EnablePersistAuthorization();
            options.DisplayRequestDuration();
        });
        app.UseReDoc(options =>
        {
            options.RoutePrefix = "redocs";
            options.DocumentTitle = "TaskGrid API";
            options.SpecUrl(OpenApiDocumentation.DocumentPath);
            options.IndexStream = () => new MemoryStream(Encoding.UTF8.GetBytes(ReDocIndex));
        });
        return app;
    }

    /// <summary><c>/</c> and <c>/dashboard</c>.</summary>
    public static IEndpointRouteBuilder MapWebPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", (HttpContext context, IWebHostEnvironment environment) => Page(context, environment.WebRootFileProvider, "index.html"))
            .AllowAnonymous().ExcludeFromDescription();
        endpoints.MapGet("/dashboard", (HttpContext context, IWebHostEnvironment environment) => Page(context, environment.WebRootFileProvider, "dashboard.html"))
            .AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    private static IResult Page(HttpContext context, IFileProvider files, string name)
    {
        var file = files.GetFileInfo(name);
        if (!file.Exists || file.PhysicalPath is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: $"The gateway's web root has no {name}; it ships in wwwroot next to TaskGrid.Gateway.dll.");
        }
        Harden(context.Response);
        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.PhysicalFile(file.PhysicalPath, "text/html; charset=utf-8");
    }

    private static void Harden(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = PagePolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
