using System.Net;
using k8s.Autorest;

namespace ApiKeyOperator.Runtime;

/// <summary>A watch ended with a 410 Gone ERROR event: the informer must re-list.</summary>
public sealed class WatchExpiredException : HttpOperationException
{
    public WatchExpiredException(string message)
        : base(message)
    {
        Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.Gone), message);
    }

    public WatchExpiredException()
        : this("resourceVersion too old")
    {
    }

    public WatchExpiredException(string message, Exception innerException)
        : base(message, innerException)
    {
        Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.Gone), message);
    }
}
