using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;

namespace TaskGrid.Gateway.Hosting;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>: every endpoint with its schemas, status
/// codes and examples, and the API key as a security scheme so that Swagger UI (<c>/docs</c>)
/// can send it. Error answers are problem+json; each route names the ones it can give with
/// <see cref="ProducesProblems"/>, and every route that needs a key documents 401.
/// </summary>
internal static class OpenApiDocumentation
{
    public const string DocumentPath = "/openapi/v1.json";
    private const string BearerScheme = "bearer";
    private const string HeaderScheme = "x-api-key";

    public static IServiceCollection AddTaskGridOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "TaskGrid API",
                    Version = "v1",
                    Description = "Submit tasks alone or in grids, watch and steer them, and read the cluster's health and metrics. " +
                                  "Send an API key as `Authorization: Bearer <key>` or `X-Api-Key: <key>`. Errors are `application/problem+json` (RFC 9457).",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An API key as a bearer token. An admin creates keys with POST /v1/users/{id}/api-keys.",
                };
                document.Components.SecuritySchemes[HeaderScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = "X-Api-Key",
                    Description = "The same API key in the X-Api-Key header.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                operation.Responses ??= [];
                if (!metadata.OfType<IAllowAnonymous>().Any() || metadata.OfType<IAuthorizeData>().Any())
                {
                    operation.Security =
                    [
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] },
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(HeaderScheme, context.Document)] = [] },
                    ];
                    operation.Responses.TryAdd("401", Problem(context.Document, "No API key, or a key that is unknown, revoked or of a disabled user."));
                }
                if (context.Description.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) == true)
                {
                    operation.Responses.TryAdd("429", Problem(context.Document, "Too many requests from this key (see the Retry-After header), or over a cap."));
                }
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (OpenApiExamples.For(context.JsonTypeInfo.Type) is { } example)
                {
                    schema.Examples = [example];
                }
                return Task.CompletedTask;
            });
        });

    /// <summary>Documents the problem+json answers a route can give: 400 as a validation problem naming fields, the rest as plain problems.</summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            if (status == StatusCodes.Status400BadRequest)
            {
                builder.ProducesValidationProblem();
            }
            else
            {
                builder.ProducesProblem(status);
            }
        }
        return builder;
    }

    private static OpenApiResponse Problem(OpenApiDocument? document, string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", document) },
        },
    };
}
