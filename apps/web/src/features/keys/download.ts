/**
 * Starts a file download the browser streams to disk (the API names the file). An object, not a
 * bare function, so tests can watch it: jsdom cannot navigate.
 */
export const downloads = {
  start(href: string): void {
    const link = document.createElement('a');
    link.href = href;
    link.download = '';
    link.rel = 'noopener';
    document.body.appendChild(link);
    link.click();
    link.remove();
  },
};
