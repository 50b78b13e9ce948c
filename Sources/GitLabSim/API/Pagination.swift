import Foundation

/// Offset pagination as GitLab does it: `page` (default 1), `per_page` (default 20, clamped to
/// 100), and headers `x-page`, `x-per-page`, `x-total`, `x-total-pages`, `x-next-page`,
/// `x-prev-page` (empty when none) and `Link` with `prev`/`next`/`first`/`last`. Above 10,000
/// rows GitLab does not count: `x-total`, `x-total-pages` and `rel="last"` are left out
/// (doc/api/rest/_index.md, "Pagination response headers").
enum Pagination {
    /// GitLab's `COUNT_LIMIT`: past it the totals are not sent.
    static let countLimit = 10_000

    static func page<T>(
        _ items: [T], request: SimRequest, baseURL: String, render: (T) -> JSONValue
    ) throws(APIError) -> SimResponse {
        let page = try integer("page", in: request, default: 1)
        let perPage = min(try integer("per_page", in: request, default: 20), 100)
        let totalPages = max(1, (items.count + perPage - 1) / perPage)
        let start = min((page - 1) * perPage, items.count)
        let slice = items[start..<min(start + perPage, items.count)]
        let next = page < totalPages ? String(page + 1) : ""
        let prev = page > 1 ? String(page - 1) : ""
        var links: [String] = []
        let link = { (target: Int, rel: String) in
            links.append("<\(url(for: request, baseURL: baseURL, page: target, perPage: perPage))>; rel=\"\(rel)\"")
        }
        if page > 1 { link(page - 1, "prev") }
        if page < totalPages { link(page + 1, "next") }
        link(1, "first")
        let counted = items.count <= countLimit
        if counted { link(totalPages, "last") }
        var headers: [(String, String)] = [
            ("Link", links.joined(separator: ", ")),
            ("X-Next-Page", next),
            ("X-Page", String(page)),
            ("X-Per-Page", String(perPage)),
            ("X-Prev-Page", prev),
        ]
        if counted { headers += [("X-Total", String(items.count)), ("X-Total-Pages", String(totalPages))] }
        return .json(.array(slice.map(render)), headers: headers)
    }

    /// Grape's Integer coercion: a non-integer is `{"error":"page is invalid"}`; below 1 counts as 1.
    private static func integer(_ name: String, in request: SimRequest, default value: Int) throws(APIError) -> Int {
        guard let text = request.queryValue(name) else { return value }
        guard let number = Int(text) else { throw .grape("\(name) is invalid") }
        return max(number, 1)
    }

    private static func url(for request: SimRequest, baseURL: String, page: Int, perPage: Int) -> String {
        var query = request.query.filter { $0.0 != "page" && $0.0 != "per_page" }
        query += [("page", String(page)), ("per_page", String(perPage))]
        let encoded = query.map { "\(FormEncoding.escape($0.0))=\(FormEncoding.escape($0.1))" }.joined(separator: "&")
        return "\(baseURL)\(request.rawPath)?\(encoded)"
    }
}
