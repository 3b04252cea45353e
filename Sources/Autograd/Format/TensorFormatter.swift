#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Prints tensors the way PyTorch 2.x does, character for character.
///
/// This is a port of `torch/_tensor_str.py` restricted to what autograd-viz
/// needs: dense CPU tensors of dtype float32/float64/int64/bool, with the
/// default print options (`precision=4, threshold=1000, edgeitems=3,
/// linewidth=80, sci_mode=None`). Each helper below names the Python function
/// it mirrors; quirks of the original (such as the off-by-two line length in
/// `_add_suffixes`) are reproduced on purpose, because the goal is identical
/// output, not tidier output.
public enum TensorFormatter {

    // MARK: - PRINT_OPTS (defaults of `__PrinterOptions`)

    static let precision = 4
    static let threshold = 1000
    static let edgeitems = 3
    static let linewidth = 80

    // MARK: - Public API

    /// `repr(t)` / `str(t)` as PyTorch prints it.
    /// values: the elements in row-major order (count == product of shape; shape [] = one element)
    /// suffixes: extra `key=value` parts PyTorch appends, in order, e.g. ["grad_fn=<MulBackward0>"] or ["requires_grad=True"]
    ///
    /// Mirrors `_str_intern` for a plain strided CPU tensor: the prefix
    /// `tensor(`, the contents from `_tensor_str`, then the `size=`/`dtype=`
    /// suffixes this function decides on, followed by the caller's suffixes
    /// (`_str_intern` appends `grad_fn=`/`requires_grad=` after size/dtype).
    public static func repr(values: [Double], shape: [Int], dtype: DType, suffixes: [String]) -> String {
        let numel = shape.reduce(1, *)
        precondition(values.count == numel,
                     "TensorFormatter.repr: \(values.count) values for shape \(shape)")
        let prefix = "tensor("
        let indent = pyLen(prefix)
        var allSuffixes: [String] = []
        let contents: String

        if numel == 0 {
            // `_str_intern`, empty branch: the shape is printed unless it is
            // 1-D (NumPy's behaviour), and the dtype is printed whenever it is
            // not the default float32 -- there are no elements to tell an
            // int64 or bool tensor apart from a float one.
            if shape.count != 1 { allSuffixes.append("size=" + pythonTuple(shape)) }
            if dtype != .float32 { allSuffixes.append("dtype=" + dtype.torchName) }
            contents = "[]"
        } else {
            // `_str_intern`, dense branch: `has_default_dtype` covers the
            // default float dtype, int64 and bool, so only float64 is named.
            // (`size=` is only added here when edgeitems == 0, never by default.)
            let hasDefaultDtype = dtype == .float32 || dtype == .int64 || dtype == .bool
            if !hasDefaultDtype { allSuffixes.append("dtype=" + dtype.torchName) }
            // The tensor holds values of its dtype; make sure we format exactly
            // those (float32 through `Float`, int64 truncated, bool as 0/1).
            let stored = values.map { dtype.round($0) }
            contents = tensorStr(stored, shape: shape, dtype: dtype, indent: indent)
        }
        allSuffixes.append(contentsOf: suffixes)
        return addSuffixes(prefix + contents, allSuffixes, indent: indent)
    }

    /// Python's repr of a float (shortest round-trip: `0.1`, `1e-05`, `1e+16`, `100.0`, `inf`, `nan`, `-0.0`)
    ///
    /// Python's `float_repr` (`PyOS_double_to_string(x, 'r', 0, Py_DTSF_ADD_DOT_0)`)
    /// takes the shortest digit string that round-trips (dtoa mode 0) and lays
    /// it out in positional notation when the decimal exponent `decpt`
    /// (value = 0.DIGITS x 10^decpt) satisfies -4 < decpt <= 16, else as
    /// `d.ddde+XX` with at least two exponent digits. Swift's `description`
    /// also produces the shortest round-tripping (closest) digits, only laid
    /// out differently, so we take its digits and re-lay them out Python's way.
    public static func pythonFloat(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        let negative = x.sign == .minus
        var s = Substring(x.magnitude.description)

        // Split Swift's "D.DDDe+XX" / "DDD.DD" into digits and a decimal exponent.
        var exponent = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(String(s[s.index(after: e)...])) ?? 0  // Int("+16") == 16
            s = s[..<e]
        }
        let intPart: Substring
        let fracPart: Substring
        if let dot = s.firstIndex(of: ".") {
            intPart = s[..<dot]
            fracPart = s[s.index(after: dot)...]
        } else {
            intPart = s
            fracPart = ""
        }
        var digits = Array(intPart + fracPart)
        var decpt = intPart.count + exponent
        while let first = digits.first, first == "0" { digits.removeFirst(); decpt -= 1 }
        while let last = digits.last, last == "0" { digits.removeLast() }

        let sign = negative ? "-" : ""
        if digits.isEmpty { return sign + "0.0" }

        if decpt <= -4 || decpt > 16 {
            // Exponent form: no ".0" is added, exponent has a sign and >= 2 digits.
            var mantissa = String(digits[0])
            if digits.count > 1 { mantissa += "." + String(digits[1...]) }
            let e = decpt - 1
            let eDigits = String(abs(e))
            return sign + mantissa + "e" + (e < 0 ? "-" : "+")
                + (eDigits.count < 2 ? "0" + eDigits : eDigits)
        }
        if decpt <= 0 {
            return sign + "0." + String(repeating: "0", count: -decpt) + String(digits)
        }
        if decpt >= digits.count {
            return sign + String(digits) + String(repeating: "0", count: decpt - digits.count) + ".0"
        }
        return sign + String(digits[..<decpt]) + "." + String(digits[decpt...])
    }

    // MARK: - _Formatter

    /// Mirrors `_Formatter`: one instance decides, from (the summarized view
    /// of) the whole tensor, the notation and the common width every element
    /// is right-aligned to.
    struct Formatter {
        let floatingDtype: Bool
        let isBool: Bool
        private(set) var intMode = true
        private(set) var sciMode = false
        private(set) var maxWidth = 1

        init<S: Sequence>(_ values: S, dtype: DType) where S.Element == Double {
            floatingDtype = dtype.isFloatingPoint
            isBool = dtype == .bool

            if !floatingDtype {
                // Integers and bools: width of `f"{value}"` over every element.
                for v in values {
                    maxWidth = Swift.max(maxWidth, pyLen(Formatter.nonFloatString(v, isBool: isBool)))
                }
                return
            }

            // `nonzero_finite_vals = masked_select(t, isfinite(t) & t.ne(0))`
            let nonzeroFinite = values.filter { $0.isFinite && $0 != 0 }
            // "no valid number, do nothing": int_mode stays True, width 1.
            if nonzeroFinite.isEmpty { return }

            // min/max of the absolute values, computed in double (`tensor_totype`).
            var minAbs = Double.infinity
            var maxAbs = 0.0
            for v in nonzeroFinite {
                minAbs = Swift.min(minAbs, v.magnitude)
                maxAbs = Swift.max(maxAbs, v.magnitude)
            }

            // int_mode: every nonzero finite value equals its ceil.
            intMode = nonzeroFinite.allSatisfy { $0 == $0.rounded(.up) }

            // `sci_mode` with PRINT_OPTS.sci_mode == None.
            sciMode = maxAbs / minAbs > 1000.0 || maxAbs > 1.0e8 || minAbs < 1.0e-4

            for v in nonzeroFinite {
                let width: Int
                if sciMode {
                    width = pyLen(Formatter.sci(v))           // '{:.4e}'
                } else if intMode {
                    width = pyLen(Formatter.fixed(v, 0)) + 1  // f"{value:.0f}" plus the "."
                } else {
                    width = pyLen(Formatter.fixed(v, TensorFormatter.precision)) // '{:.4f}'
                }
                maxWidth = Swift.max(maxWidth, width)
            }
        }

        /// `_Formatter.width`
        var width: Int { maxWidth }

        /// `_Formatter.format`: the element's text, left-padded to `max_width`
        /// (never truncated, so e.g. `inf` can stick out of a width-2 column).
        func format(_ v: Double) -> String {
            let ret: String
            if floatingDtype {
                if sciMode {
                    ret = Formatter.sci(v)
                } else if intMode {
                    // int_mode floats print as `1.`; nan/inf get no dot.
                    ret = Formatter.fixed(v, 0) + (v.isFinite ? "." : "")
                } else {
                    ret = Formatter.fixed(v, TensorFormatter.precision)
                }
            } else {
                ret = Formatter.nonFloatString(v, isBool: isBool)
            }
            let pad = maxWidth - pyLen(ret)
            return pad > 0 ? String(repeating: " ", count: pad) + ret : ret
        }

        /// `f"{value}"` of a Python int (int64) or bool.
        static func nonFloatString(_ v: Double, isBool: Bool) -> String {
            if isBool { return v != 0 ? "True" : "False" }
            if v.isNaN { return "0" }
            if v >= 9.223372036854775807e18 { return String(Int64.max) }
            if v <= -9.223372036854775808e18 { return String(Int64.min) }
            return String(Int64(v))
        }

        /// Python's `'{:.Nf}'.format(x)`. Python formats correctly rounded, as
        /// glibc's printf does; Python spells non-finite values `nan`/`inf`/`-inf`
        /// (printf could print `-nan`), so those are handled here.
        static func fixed(_ v: Double, _ digits: Int) -> String {
            if let s = nonFinite(v) { return s }
            return cFormat("%.\(digits)f", v)
        }

        /// Python's `'{:.4e}'.format(x)`: like C's `%.4e`, exponent with a
        /// sign and at least two digits (`1.0000e-08`).
        static func sci(_ v: Double) -> String {
            if let s = nonFinite(v) { return s }
            return cFormat("%.\(TensorFormatter.precision)e", v)
        }

        static func nonFinite(_ v: Double) -> String? {
            if v.isNaN { return "nan" }
            if v.isInfinite { return v < 0 ? "-inf" : "inf" }
            return nil
        }
    }

    // MARK: - _tensor_str

    /// Mirrors `_tensor_str` for a non-empty tensor: decide whether to
    /// summarize, build one formatter from the (summarized) data, and print.
    static func tensorStr(_ values: [Double], shape: [Int], dtype: DType, indent: Int) -> String {
        let summarize = values.count > threshold
        let strides = rowMajorStrides(shape)
        // `_Formatter(get_summarized_data(self) if summarize else self)`
        let formatterInput: [Double]
        if summarize {
            var picked: [Double] = []
            collectSummarized(values, shape: shape, strides: strides, dim: 0, offset: 0, into: &picked)
            formatterInput = picked
        } else {
            formatterInput = values
        }
        let formatter = Formatter(formatterInput, dtype: dtype)
        return tensorStrWithFormatter(values, shape: shape, strides: strides, dim: 0, offset: 0,
                                      indent: indent, summarize: summarize, formatter: formatter)
    }

    /// Mirrors `get_summarized_data`: along every dimension longer than
    /// `2 * edgeitems`, keep only the first and last `edgeitems` entries.
    /// (Only the element values matter to `_Formatter`, so they are gathered
    /// flat instead of re-stacked into a tensor.)
    static func collectSummarized(_ values: [Double], shape: [Int], strides: [Int],
                                  dim: Int, offset: Int, into out: inout [Double]) {
        if dim == shape.count {
            out.append(values[offset])
            return
        }
        for i in summarizedIndices(shape[dim]) {
            collectSummarized(values, shape: shape, strides: strides, dim: dim + 1,
                              offset: offset + i * strides[dim], into: &out)
        }
    }

    /// The indices `get_summarized_data` keeps along a dimension of size `n`.
    static func summarizedIndices(_ n: Int) -> [Int] {
        if n > 2 * edgeitems {
            return Array(0..<edgeitems) + Array((n - edgeitems)..<n)
        }
        return Array(0..<n)
    }

    /// Mirrors `_tensor_str_with_formatter`: 0-d goes to `_scalar_str`, 1-d
    /// to `_vector_str`, higher dims recurse with `indent + 1` and join the
    /// slices with `,` plus (dim - 1) newlines -- hence one blank line between
    /// the 2-D slices of a 3-D tensor -- and an `...` row when summarized.
    static func tensorStrWithFormatter(_ values: [Double], shape: [Int], strides: [Int], dim: Int,
                                       offset: Int, indent: Int, summarize: Bool,
                                       formatter: Formatter) -> String {
        let remaining = shape.count - dim
        if remaining == 0 {
            // `_scalar_str`: `formatter.format(self.item())`
            return formatter.format(values[offset])
        }
        if remaining == 1 {
            return vectorStr(values, count: shape[dim], stride: strides[dim], offset: offset,
                             indent: indent, summarize: summarize, formatter: formatter)
        }

        let size = shape[dim]
        func slice(_ i: Int) -> String {
            tensorStrWithFormatter(values, shape: shape, strides: strides, dim: dim + 1,
                                   offset: offset + i * strides[dim], indent: indent + 1,
                                   summarize: summarize, formatter: formatter)
        }
        var slices: [String]
        if summarize && size > 2 * edgeitems {
            slices = (0..<edgeitems).map(slice)
            slices.append("...")
            slices += ((size - edgeitems)..<size).map(slice)
        } else {
            slices = (0..<size).map(slice)
        }
        let separator = "," + String(repeating: "\n", count: remaining - 1)
            + String(repeating: " ", count: indent + 1)
        return "[" + slices.joined(separator: separator) + "]"
    }

    /// Mirrors `_vector_str`: elements (and the `" ..."` marker when
    /// summarized) are chunked into lines of
    /// `max(1, floor((linewidth - indent) / (width + 2)))` items; continuation
    /// lines are indented to sit under the first element.
    static func vectorStr(_ values: [Double], count: Int, stride: Int, offset: Int, indent: Int,
                          summarize: Bool, formatter: Formatter) -> String {
        // element_length includes the ", " between elements
        let elementLength = formatter.width + 2
        let elementsPerLine = Swift.max(1, (linewidth - indent) / elementLength)

        func element(_ i: Int) -> String { formatter.format(values[offset + i * stride]) }
        var data: [String]
        if summarize && count > 2 * edgeitems {
            data = (0..<edgeitems).map(element)
            data.append(" ...")
            data += ((count - edgeitems)..<count).map(element)
        } else {
            data = (0..<count).map(element)
        }

        var lines: [String] = []
        var start = 0
        while start < data.count {
            let end = Swift.min(start + elementsPerLine, data.count)
            lines.append(data[start..<end].joined(separator: ", "))
            start = end
        }
        return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
    }

    // MARK: - _add_suffixes

    /// Mirrors `_add_suffixes` (with `force_newline=False`, as for every
    /// non-sparse tensor): each suffix goes on the current line after `, `
    /// unless that would pass `linewidth`, in which case it starts a new line
    /// indented by `indent`. The original's `last_line_len` counts two more
    /// characters than the line really has (`len(s) - s.rfind("\n") + 1`);
    /// that is kept so lines break exactly where PyTorch breaks them.
    static func addSuffixes(_ tensorString: String, _ suffixes: [String], indent: Int) -> String {
        var parts = [tensorString]
        let scalars = Array(tensorString.unicodeScalars)
        let lastNewline = scalars.lastIndex(of: "\n") ?? -1
        var lastLineLen = scalars.count - lastNewline + 1
        for suffix in suffixes {
            let suffixLen = pyLen(suffix)
            if lastLineLen + suffixLen + 2 > linewidth {
                parts.append(",\n" + String(repeating: " ", count: indent) + suffix)
                lastLineLen = indent + suffixLen
            } else {
                parts.append(", " + suffix)
                lastLineLen += suffixLen + 2
            }
        }
        parts.append(")")
        return parts.joined()
    }

    // MARK: - Helpers

    /// Python's `len(str)`: a count of code points.
    static func pyLen(_ s: String) -> Int { s.unicodeScalars.count }

    /// `str(tuple(shape))`: `(0, 3)`, `(0,)`, `()`.
    static func pythonTuple(_ shape: [Int]) -> String {
        if shape.count == 1 { return "(\(shape[0]),)" }
        return "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    static func rowMajorStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[d] = acc
            acc *= shape[d]
        }
        return strides
    }

    /// printf-style formatting of one double through the C library, which
    /// rounds correctly like Python's own float formatting does.
    static func cFormat(_ format: String, _ x: Double) -> String {
        var capacity = 64
        while true {
            var buffer = [CChar](repeating: 0, count: capacity)
            let size = capacity
            let written = buffer.withUnsafeMutableBufferPointer { buf in
                withVaList([x]) { vsnprintf(buf.baseAddress, size, format, $0) }
            }
            if written < 0 { return "" }
            if Int(written) < capacity {
                return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            }
            capacity = Int(written) + 1
        }
    }
}
