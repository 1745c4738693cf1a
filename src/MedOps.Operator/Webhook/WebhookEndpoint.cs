using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MedOps.Api.Serialization;
using MedOps.Operator.Configuration;
using MedOps.Runtime.Admission;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace MedOps.Operator.Webhook;

/// <summary>
/// The HTTPS listener of the validating admission webhook: <c>POST /validate</c> on
/// <c>--webhook-bind-address</c>, answered by the <see cref="AdmissionDispatcher"/> on every
/// replica (admission does not wait for leadership). The port is opened with SO_REUSEPORT, so
/// that several operator processes on one machine (an operator run out of cluster, the tests)
/// can serve one webhook URL and the kernel spreads connections over them, as a Service spreads
/// them over pods.
/// </summary>
internal static class WebhookEndpoint
{
    /// <summary>The path the validating webhook configuration calls.</summary>
    public const string Path = "/validate";

    /// <summary>The path the mutating webhook configuration calls (who created a model, who set its version, who approved).</summary>
    public const string MutatePath = "/mutate";

    // Linux's SOL_SOCKET and SO_REUSEPORT.
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    /// <summary>Adds the HTTPS listener; its certificate comes from <see cref="ServingCertificateSource"/> on each handshake.</summary>
    public static void Listen(WebApplicationBuilder builder, WebhookOptions webhook)
    {
        var address = webhook.BindAddress;
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseSockets(sockets => sockets.CreateBoundListenSocket = endpoint =>
            endpoint is IPEndPoint ip && ip.Port == address.Port ? BindReusable(ip) : SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint));
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var source = kestrel.ApplicationServices.GetRequiredService<ServingCertificateSource>();
            void Https(ListenOptions listen) => listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificateSelector = (_, _) => source.Current,
                ClientCertificateMode = ClientCertificateMode.NoCertificate,
            });
            if (address.IsLocalhost)
            {
                kestrel.Listen(IPAddress.Loopback, address.Port, Https);
            }
            else
            {
                kestrel.Listen(address.Host ?? IPAddress.Any, address.Port, Https);
            }
        });
    }

    /// <summary>Answers <c>POST /validate</c> and <c>POST /mutate</c> on the webhook port; anything else there is 404.</summary>
    public static void Map(WebApplication app, WebhookOptions webhook)
    {
        var dispatcher = app.Services.GetRequiredService<AdmissionDispatcher>();
        var port = webhook.BindAddress.Port;
        app.MapWhen(context => context.Connection.LocalPort == port, branch => branch.Run(async context =>
        {
            var mutate = context.Request.Path == MutatePath;
            if (!HttpMethods.IsPost(context.Request.Method) || (context.Request.Path != Path && !mutate))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            try
            {
                // The API server states its timeout for the call, as a Go duration (?timeout=5s).
                TimeSpan? callerTimeout = GoDuration.TryParse(context.Request.Query["timeout"].ToString(), out var timeout) && timeout > TimeSpan.Zero
                    ? timeout
                    : null;
                var answer = mutate
                    ? await dispatcher.HandleMutationAsync(context.Request.Body, context.RequestAborted, callerTimeout)
                    : await dispatcher.HandleAsync(context.Request.Body, context.RequestAborted, callerTimeout);
                context.Response.ContentType = "application/json";
                await JsonSerializer.SerializeAsync(context.Response.Body, answer, cancellationToken: context.RequestAborted);
            }
            catch (BadAdmissionReviewException exception)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync(exception.Message, context.RequestAborted);
            }
        }));
    }

    private static Socket BindReusable(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }
            if (OperatingSystem.IsLinux())
            {
                socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            }
            socket.Bind(endpoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
