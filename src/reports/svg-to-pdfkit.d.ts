// svg-to-pdfkit ships no types: the one call this project makes (README of svg-to-pdfkit 0.1.8).
declare module 'svg-to-pdfkit' {
  function SVGtoPDF(
    doc: PDFKit.PDFDocument,
    svg: string,
    x?: number,
    y?: number,
    options?: { width?: number; height?: number; preserveAspectRatio?: string; assumePt?: boolean },
  ): void;
  export default SVGtoPDF;
}
